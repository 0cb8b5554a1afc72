"""Le mémo des permissions (noyau.permissions) : une réponse par requête et par (compte,
permission, objet), oubliée à la première écriture, jamais partagée entre requêtes, comptes
ou fils d'exécution."""

import threading

import pytest
import rules
from django.contrib.auth.models import Group

from comptes.models import Utilisateur
from noyau.permissions import _portee, portee_des_permissions
from noyau.roles import Role
from noyau.transitions import transition_appliquee
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

PERMISSION = "tests_memo.voir"


@pytest.fixture
def evaluations():
    """Une permission de test qui compte ses évaluations ; vraie pour les gestionnaires."""
    compte = []

    @rules.predicate
    def predicat(utilisateur, objet=None):
        compte.append((utilisateur.pk, getattr(objet, "pk", None)))
        return Role.GESTIONNAIRE in utilisateur.roles

    rules.add_perm(PERMISSION, predicat)
    yield compte
    rules.remove_perm(PERMISSION)


def test_une_evaluation_par_compte_et_objet_dans_une_portee(evaluations):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    coach = Utilisateur.objects.get(pk=UtilisateurFactory(coach=True).pk)
    with portee_des_permissions():
        reponses = [
            gestionnaire.has_perm(PERMISSION, coach),
            gestionnaire.has_perm(PERMISSION, coach),
            gestionnaire.has_perm(PERMISSION),
            coach.has_perm(PERMISSION, coach),
            coach.has_perm(PERMISSION, coach),
        ]
    assert reponses == [True, True, True, False, False]
    assert evaluations == [
        (gestionnaire.pk, coach.pk),
        (gestionnaire.pk, None),
        (coach.pk, coach.pk),
    ]


def test_hors_portee_rien_n_est_garde(evaluations):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    reponses = [gestionnaire.has_perm(PERMISSION) for _ in range(3)]
    assert (reponses, len(evaluations), _portee.get()) == ([True] * 3, 3, None)


def test_une_ecriture_ou_une_transition_vide_le_memo(evaluations):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    groupe = Group.objects.get(name=Role.GESTIONNAIRE)
    with portee_des_permissions():
        reponses = [gestionnaire.has_perm(PERMISSION), gestionnaire.has_perm(PERMISSION)]
        # Un changement d'état (signal de noyau.transitions) : la réponse est relue.
        transition_appliquee.send(sender=Utilisateur, objet=gestionnaire, transition="t")
        reponses.append(gestionnaire.has_perm(PERMISSION))
        # Une écriture qui ne passe par aucun signal (update) : relue aussi.
        Utilisateur.objects.filter(pk=gestionnaire.pk).update(first_name="Gaëlle")
        reponses.append(gestionnaire.has_perm(PERMISSION))
        # Retirée du groupe dans la même requête : la permission tombe aussitôt.
        groupe.user_set.remove(gestionnaire)
        gestionnaire.refresh_from_db()
        reponses += [gestionnaire.has_perm(PERMISSION), gestionnaire.has_perm(PERMISSION)]
    assert reponses == [True, True, True, True, False, False]
    assert len(evaluations) == 4


def test_chaque_fil_d_execution_a_sa_portee(evaluations):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    vu_par_l_autre_fil = []
    with portee_des_permissions():
        gestionnaire.has_perm(PERMISSION)
        fil = threading.Thread(target=lambda: vu_par_l_autre_fil.append(_portee.get()))
        fil.start()
        fil.join()
        assert len(_portee.get().memo) == 1
    assert (vu_par_l_autre_fil, _portee.get()) == ([None], None)


def test_deux_requetes_deux_comptes_aucun_memo_partage(client, evaluations, settings):
    """Deux requêtes de deux comptes sur la gestion : chacune évalue la sienne (la vue
    demande `comptes.acceder_gestion`, la permission de test n'est pas demandée : le mémo
    d'une requête est vide au début de la suivante, et aucun ne reste après)."""
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    coach = UtilisateurFactory(coach=True)
    client.force_login(gestionnaire)
    premier = client.get("/gestion/").status_code
    client.force_login(coach)
    second = client.get("/gestion/").status_code
    assert (premier, second, _portee.get()) == (200, 403, None)


def test_un_refus_de_django_rules_n_interroge_plus_les_permissions_de_modele(
    django_assert_num_queries,
):
    coach = Utilisateur.objects.get(pk=UtilisateurFactory(coach=True).pk)
    with django_assert_num_queries(0):
        assert coach.has_perm("comptes.acceder_gestion") is False
    # Une permission de modèle de Django reste lue par le ModelBackend (deux requêtes).
    with django_assert_num_queries(2):
        assert coach.has_perm("comptes.change_utilisateur") is False
