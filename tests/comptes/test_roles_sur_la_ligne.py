"""Les rôles recopiés sur la ligne du compte (comptes.roles) : exacts dans les deux sens de
l'appartenance, après un renommage ou une suppression de groupe, lus sans requête, et ce que
peut faire la requête suivante suit le changement."""

import pytest
import rules
from django.contrib.auth.models import Group

from comptes.models import Utilisateur
from noyau.roles import Role
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _en_base(utilisateur):
    return Utilisateur.objects.values_list("noms_des_groupes", flat=True).get(pk=utilisateur.pk)


def _groupe(role):
    return Group.objects.get_or_create(name=role)[0]


def test_ajout_et_retrait_par_l_utilisateur_copies_sur_sa_ligne_et_son_instance():
    utilisateur = UtilisateurFactory()
    assert (_en_base(utilisateur), utilisateur.roles) == ([], frozenset())

    utilisateur.groups.add(_groupe(Role.COACH), _groupe(Role.MEMBRE_JURY))
    assert _en_base(utilisateur) == ["coach", "membre_jury"]
    assert utilisateur.roles == {"coach", "membre_jury"}

    utilisateur.groups.remove(_groupe(Role.COACH))
    assert (_en_base(utilisateur), utilisateur.roles) == (["membre_jury"], {"membre_jury"})

    utilisateur.groups.set([_groupe(Role.OBSERVATEUR)])
    assert (_en_base(utilisateur), utilisateur.roles) == (["observateur"], {"observateur"})

    utilisateur.groups.clear()
    assert (_en_base(utilisateur), utilisateur.roles) == ([], frozenset())


def test_ajout_retrait_et_vidage_par_le_groupe_copies_sur_chaque_ligne():
    premier, second, autre = UtilisateurFactory(), UtilisateurFactory(), UtilisateurFactory()
    autre.groups.add(_groupe(Role.COACH))
    gestion = _groupe(Role.GESTIONNAIRE)

    gestion.user_set.add(premier, second)
    assert [_en_base(u) for u in (premier, second, autre)] == [
        ["gestionnaire"],
        ["gestionnaire"],
        ["coach"],
    ]

    gestion.user_set.remove(premier)
    assert [_en_base(u) for u in (premier, second)] == [[], ["gestionnaire"]]

    autre.groups.add(gestion)
    gestion.user_set.clear()
    assert [_en_base(u) for u in (premier, second, autre)] == [[], [], ["coach"]]


def test_groupe_renomme_ou_supprime_recopie_ses_membres():
    utilisateur = UtilisateurFactory(coach=True, membre_jury=True)
    groupe = Group.objects.get(name=Role.COACH)

    groupe.name = "coach_renomme"
    groupe.save()
    assert _en_base(utilisateur) == ["coach_renomme", "membre_jury"]

    groupe.delete()
    assert _en_base(utilisateur) == ["membre_jury"]


def test_une_instance_chargee_avant_le_changement_ne_remet_pas_l_ancien_role():
    utilisateur = UtilisateurFactory(gestionnaire=True)
    ancienne = Utilisateur.objects.get(pk=utilisateur.pk)
    Group.objects.get(name=Role.GESTIONNAIRE).user_set.remove(utilisateur)

    ancienne.first_name = "Renommée"
    ancienne.save()

    assert _en_base(utilisateur) == []
    assert Utilisateur.objects.get(pk=utilisateur.pk).first_name == "Renommée"


def test_les_predicats_de_role_ne_font_aucune_requete(django_assert_num_queries):
    utilisateur = Utilisateur.objects.get(pk=UtilisateurFactory(gestionnaire=True).pk)
    with django_assert_num_queries(0):
        resultats = [
            rules.test_rule(nom, utilisateur)
            for nom in ("est_gestionnaire", "est_candidat", "est_coach", "est_gestionnaire")
        ]
    assert resultats == [True, False, False, True]


def test_gestionnaire_retire_du_groupe_refuse_a_la_requete_suivante_puis_rendu(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    client.force_login(gestionnaire)
    groupe = Group.objects.get(name=Role.GESTIONNAIRE)
    statuts = [client.get("/gestion/").status_code]

    groupe.user_set.remove(gestionnaire)
    statuts.append(client.get("/gestion/").status_code)

    gestionnaire.groups.add(groupe)
    statuts.append(client.get("/gestion/").status_code)

    assert statuts == [200, 403, 200]
