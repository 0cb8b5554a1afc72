"""L'horloge des tables : chaque transaction validée qui écrit dans une table lui donne une
génération neuve, au moment même où ses données deviennent visibles ; une lecture, une
transaction annulée ne changent rien. Ces tests valident leurs transactions (transaction=True) :
dans la transaction d'un test ordinaire, rien n'est jamais validé."""

import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, connections, transaction

from noyau.horloge import EN_ATTENTE, capture, lire_horloge

pytestmark = pytest.mark.django_db(transaction=True)


def _generation(table):
    return lire_horloge().get(table, 0)


def test_chaque_ecriture_hors_transaction_donne_une_generation_neuve():
    vues = [_generation("auth_group")]
    groupe = Group.objects.create(name="Relais 1")
    vues.append(_generation("auth_group"))
    Group.objects.filter(pk=groupe.pk).update(name="Relais 2")
    vues.append(_generation("auth_group"))
    with connection.cursor() as curseur:
        curseur.execute("UPDATE auth_group SET name = %s WHERE id = %s", ["Relais 3", groupe.pk])
    vues.append(_generation("auth_group"))
    assert len(set(vues)) == 4
    # Une lecture ne change rien, ni pour sa table ni pour une autre.
    avant = lire_horloge()
    assert list(Group.objects.filter(pk=groupe.pk).values_list("name", flat=True)) == ["Relais 3"]
    assert lire_horloge() == avant


def test_une_transaction_renouvelle_chaque_table_ecrite_a_sa_validation():
    permission = Permission.objects.order_by("pk").first()
    avant = lire_horloge()
    with transaction.atomic():
        groupe = Group.objects.create(name="Jury")
        Group.objects.filter(pk=groupe.pk).update(name="Jury régional")
        groupe.permissions.add(permission)
        assert connection.horloge_en_attente == {"auth_group", "auth_group_permissions"}
        # En base, rien encore ; cette transaction lit pourtant ses propres écritures.
        with connection.cursor() as curseur:
            curseur.execute(
                "SELECT nom, generation FROM noyau_horloge WHERE nom LIKE 'auth_group%%'"
            )
            assert dict(curseur.fetchall()) == {
                t: g for t, g in avant.items() if t.startswith("auth_group")
            }
        assert _generation("auth_group") == EN_ATTENTE
    apres = lire_horloge()
    assert connection.horloge_en_attente == set()
    changees = {t for t in apres.keys() | avant.keys() if apres.get(t) != avant.get(t)}
    assert changees == {"auth_group", "auth_group_permissions"}


def test_une_transaction_annulee_ne_change_rien():
    avant = lire_horloge()
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.create(name="Annulé")
        raise RuntimeError("annulation")
    assert lire_horloge() == avant
    assert connection.horloge_en_attente == set()
    assert not Group.objects.filter(name="Annulé").exists()


def test_une_autre_connexion_voit_la_generation_et_les_donnees_ensemble():
    """Lue depuis un autre fil (une autre connexion) avant la validation : ni la ligne ni la
    génération nouvelle ; après : les deux."""
    depart = _generation("auth_group")
    vu = []

    def lire():
        try:
            vu.append((_generation("auth_group"), Group.objects.filter(name="Ailleurs").count()))
        finally:
            connections.close_all()

    with transaction.atomic():
        Group.objects.create(name="Ailleurs")
        fil = threading.Thread(target=lire)
        fil.start()
        fil.join()
    fil = threading.Thread(target=lire)
    fil.start()
    fil.join()
    assert vu == [(depart, 0), (_generation("auth_group"), 1)]
    assert vu[1][0] not in (depart, 0)


def test_la_capture_nomme_les_tables_lues_y_compris_par_jointure():
    with capture() as lecture:
        list(Permission.objects.select_related("content_type")[:3])
        Group.objects.create(name="Capturé")
    assert lecture.lues == {"auth_permission", "django_content_type"}
    assert lecture.ecrites == {"auth_group"}
