"""RGPD : export des données d'une structure candidate et suppression de son compte, qui
anonymise la personne sans casser le journal."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from comptes.donnees_personnelles import exporter_donnees, supprimer_compte
from journal.enums import TypeEvenement
from journal.models import Evenement
from journal.services import journaliser
from messagerie.enums import EtatMessage
from messagerie.models import EnvoiGroupe, Message
from relances.models import PreferencesRelances
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate():
    return UtilisateurFactory(
        email="Claire.Martin@ccas-houplines.test",
        first_name="Claire",
        last_name="Martin",
        candidat=True,
    )


@pytest.fixture
def traces(candidate):
    """Ce qu'un compte laisse derrière lui : journal, historique d'état, message, préférences."""
    evenement = journaliser(TypeEvenement.COMPTE_CREE, cible=candidate, acteur=candidate)
    message = Message.objects.create(
        type="essai",
        destinataire=candidate.email,
        utilisateur=candidate,
        sujet="Votre candidature",
        corps_texte="Bonjour Claire",
        etat=EtatMessage.ENVOYE,
    )
    etat = Evenement.objects.create(
        type=TypeEvenement.CHANGEMENT_ETAT,
        cible=message,
        transition="commencer_envoi",
        depuis="a_envoyer",
        vers="en_cours",
        acteur=candidate,
    )
    PreferencesRelances.objects.create(utilisateur=candidate, types_desactives=["x"])
    Authenticator.objects.create(user=candidate, type="totp", data={"secret": "s"})
    return evenement, etat, message


def test_export_contient_le_compte_sans_secret(candidate, traces):
    donnees = exporter_donnees(candidate)
    assert donnees["compte"]["adresse_electronique"] == "Claire.Martin@ccas-houplines.test"
    assert (donnees["compte"]["prenom"], donnees["compte"]["nom"]) == ("Claire", "Martin")
    assert donnees["compte"]["roles"] == ["candidat"]
    assert donnees["compte"]["double_authentification"] == ["totp"]
    assert "secret" not in json.dumps(donnees)
    assert [m["sujet"] for m in donnees["messages_recus"]] == ["Votre candidature"]
    assert donnees["relances_desactivees"] == [["x"]]
    assert [e["evenement"] for e in donnees["journal"]] == ["Compte créé"]
    assert Evenement.objects.filter(type=TypeEvenement.DONNEES_EXPORTEES).count() == 1


def test_export_telecharge_en_json_depuis_mon_compte(client, candidate):
    client.force_login(candidate)
    page = client.get("/mon-compte/")
    assert page.status_code == 200
    assert "Télécharger mes données" in page.content.decode()
    reponse = client.post("/mon-compte/mes-donnees/")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="relais-mes-donnees-')
    donnees = json.loads(reponse.content)
    assert donnees["compte"]["identifiant"] == candidate.pk


def test_export_refuse_en_get_et_sans_connexion(client, candidate):
    assert client.post("/mon-compte/mes-donnees/").status_code == 302
    client.force_login(candidate)
    assert client.get("/mon-compte/mes-donnees/").status_code == 405


def test_suppression_anonymise_et_garde_le_journal(candidate, traces):
    evenement, etat, message = traces
    supprimer_compte(candidate)

    compte = get_user_model().objects.get(pk=candidate.pk)
    assert compte.email == f"supprime-{candidate.pk}@invalid"
    assert (compte.first_name, compte.last_name) == ("", "")
    assert compte.is_active is False
    assert compte.has_usable_password() is False
    assert compte.roles == set()
    assert EmailAddress.objects.filter(user=compte).exists() is False
    assert Authenticator.objects.filter(user=compte).exists() is False
    assert PreferencesRelances.objects.filter(utilisateur=compte).exists() is False
    # Le journal et l'historique des états désignent toujours le même compte, anonyme.
    evenement.refresh_from_db()
    etat.refresh_from_db()
    assert evenement.acteur_id == candidate.pk
    assert etat.acteur_id == candidate.pk
    message = Message.objects.get(pk=message.pk)
    assert (message.destinataire, message.sujet, message.corps_texte) == (
        f"supprime-{candidate.pk}@invalid",
        "Votre candidature",
        "Contenu effacé : le compte destinataire a été supprimé à sa demande.",
    )
    assert list(
        Evenement.objects.filter(type=TypeEvenement.COMPTE_ANONYMISE).values_list(
            "acteur_id", flat=True
        )
    ) == [candidate.pk]


def test_suppression_depuis_la_page_demande_le_mot_de_passe(client, candidate):
    client.force_login(candidate)
    reponse = client.post(
        "/mon-compte/supprimer/", {"mot_de_passe": "pas-le-bon", "confirmation": "on"}
    )
    assert reponse.status_code == 200
    assert reponse.context["form"].errors == {
        "mot_de_passe": ["Ce mot de passe n'est pas celui de votre compte."]
    }
    assert get_user_model().objects.get(pk=candidate.pk).is_active is True

    reponse = client.post(
        "/mon-compte/supprimer/", {"mot_de_passe": MOT_DE_PASSE, "confirmation": "on"}
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.get(pk=candidate.pk).is_active is False
    # Plus de connexion possible avec l'ancienne adresse.
    reponse = client.post(
        "/comptes/login/",
        {"login": "Claire.Martin@ccas-houplines.test", "password": MOT_DE_PASSE},
    )
    assert reponse.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["gestionnaire", "membre_jury", "coach", "observateur"])
def test_suppression_refusee_aux_autres_roles(client, role):
    utilisateur = UtilisateurFactory(role=role)
    client.force_login(utilisateur)
    assert "demandez sa suppression au gestionnaire" in client.get("/mon-compte/").content.decode()
    reponse = client.post(
        "/mon-compte/supprimer/", {"mot_de_passe": MOT_DE_PASSE, "confirmation": "on"}
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == "/mon-compte/"
    assert get_user_model().objects.get(pk=utilisateur.pk).is_active is True


def test_suppression_retire_les_courriels_qui_ne_sont_pas_partis(candidate):
    """Un courriel pas encore parti vers la personne ne partira plus : ni vers son adresse, ni
    vers l'adresse anonyme ; il disparaît avec son historique."""
    en_attente = Message.objects.create(
        type="essai", destinataire=candidate.email, sujet="À envoyer", corps_texte="Bonjour"
    )
    en_echec = Message.objects.create(
        type="essai",
        destinataire=candidate.email.upper(),
        sujet="En échec",
        corps_texte="Bonjour",
        etat=EtatMessage.ECHEC,
        derniere_erreur=f"550 <{candidate.email}> refusée",
    )
    Evenement.objects.create(
        type=TypeEvenement.CHANGEMENT_ETAT,
        cible=en_echec,
        transition="marquer_echec",
        depuis="en_cours",
        vers="echec",
    )
    autre = Message.objects.create(
        type="essai", destinataire="autre@exemple.test", sujet="Pour une autre", corps_texte="."
    )

    supprimer_compte(candidate)

    assert list(Message.objects.values_list("pk", flat=True)) == [autre.pk]
    assert (
        Evenement.objects.changements_d_etat()
        .filter(cible_id__in=[en_attente.pk, en_echec.pk])
        .exists()
        is False
    )


def test_suppression_efface_sa_ligne_des_envois_groupes(candidate):
    autre = UtilisateurFactory(email="leers@ccas.test", first_name="Paul", last_name="Roy")
    envoi = EnvoiGroupe.objects.create(
        programme=ProgrammeFactory(),
        audience="candidatures",
        description="2 candidatures de l'appel AMI 2027",
        sujet="Visite",
        corps="Bonjour {{ prenom }}",
        cree_par=autre,
        destinataires=[
            {
                "email": candidate.email,
                "utilisateur": candidate.pk,
                "valeurs": {"prenom": "Claire", "nom": "Martin", "structure": "CCAS"},
            },
            {
                "email": autre.email,
                "utilisateur": autre.pk,
                "valeurs": {"prenom": "Paul", "nom": "Roy", "structure": "CCAS de Leers"},
            },
        ],
        total=2,
    )

    supprimer_compte(candidate)

    envoi.refresh_from_db()
    assert envoi.destinataires == [
        {"email": f"supprime-{candidate.pk}@invalid", "utilisateur": candidate.pk, "valeurs": {}},
        {
            "email": "leers@ccas.test",
            "utilisateur": autre.pk,
            "valeurs": {"prenom": "Paul", "nom": "Roy", "structure": "CCAS de Leers"},
        },
    ]
    assert envoi.total == 2
