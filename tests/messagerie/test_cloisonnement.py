"""La boîte d'envoi et la liste des relances sont cloisonnées par programme : un gestionnaire
ne lit que les courriels et relances des programmes qu'il gère ; les courriels de compte,
rattachés à aucun programme, ne sont lus que par l'administration de la plateforme."""

import datetime

import pytest
from django.utils import timezone

from messagerie import services
from messagerie.enums import EtatMessage
from messagerie.models import Message
from noyau.perimetre import id_programme_de
from relances import services as services_relances
from relances.models import Relance
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


_EXPEDITEUR = {"email": "equipe@exemple.test", "get_full_name": "L'équipe"}


def _message(objet, destinataire):
    return services.preparer_message(
        type_message="essai",
        destinataire=destinataire,
        gabarit="invitation",
        contexte={"role": "Coach", "lien": "http://x/", "par": _EXPEDITEUR, "invitation": None},
        objet=objet,
    )


@pytest.fixture
def deux_programmes():
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="chef-nord@exemple.test")
    voisin = UtilisateurFactory(gestionnaire=True, email="chef-sud@exemple.test")
    nord = ProgrammeFactory(gestionnaires=[gestionnaire])
    sud = ProgrammeFactory(gestionnaires=[voisin])
    candidature = CandidatureFactory(appel__programme=nord)
    return {
        "gestionnaire": gestionnaire,
        "voisin": voisin,
        "du_nord": _message(candidature, "ccas-nord@exemple.test"),
        "du_sud": _message(AppelFactory(programme=sud), "esat-sud@exemple.test"),
        "de_compte": _message(None, "oubli-mot-de-passe@exemple.test"),
        "nord": nord,
        "sud": sud,
    }


def test_chaque_courriel_est_rattache_au_programme_de_son_objet(deux_programmes):
    assert (
        Message.objects.get(pk=deux_programmes["du_nord"].pk).programme == deux_programmes["nord"]
    )
    assert Message.objects.get(pk=deux_programmes["du_sud"].pk).programme == deux_programmes["sud"]
    assert Message.objects.get(pk=deux_programmes["de_compte"].pk).programme is None


def test_un_gestionnaire_ne_liste_que_les_courriels_de_ses_programmes(client, deux_programmes):
    client.force_login(deux_programmes["voisin"])
    reponse = client.get("/gestion/messages/")
    assert reponse.status_code == 200
    assert "esat-sud@exemple.test" in reponse.text
    assert "ccas-nord@exemple.test" not in reponse.text
    assert "oubli-mot-de-passe@exemple.test" not in reponse.text
    assert "1 message<" in reponse.text
    # Chercher l'adresse d'autrui ne la fait pas apparaître non plus.
    reponse = client.get("/gestion/messages/?q=ccas-nord")
    assert "ccas-nord@exemple.test" not in reponse.text
    assert "Aucun message." in reponse.text


def test_le_courriel_d_un_autre_programme_ne_se_lit_ni_ne_se_renvoie(client, deux_programmes):
    du_nord = deux_programmes["du_nord"]
    Message.objects.filter(pk=du_nord.pk).update(etat=EtatMessage.ECHEC)
    client.force_login(deux_programmes["voisin"])
    reponse = client.get(f"/gestion/messages/{du_nord.pk}/")
    assert reponse.status_code == 403
    assert "ccas-nord@exemple.test" not in reponse.text
    assert "Vous n&#x27;avez pas accès à cette page avec votre compte." in reponse.text
    assert client.post(f"/gestion/messages/{du_nord.pk}/renvoyer/").status_code == 403
    assert Message.objects.get(pk=du_nord.pk).etat == EtatMessage.ECHEC

    client.force_login(deux_programmes["gestionnaire"])
    reponse = client.get(f"/gestion/messages/{du_nord.pk}/")
    assert reponse.status_code == 200
    assert "ccas-nord@exemple.test" in reponse.text


def test_les_courriels_de_compte_ne_sont_lus_que_par_l_administration(client, deux_programmes):
    de_compte = deux_programmes["de_compte"]
    gestionnaire = deux_programmes["gestionnaire"]
    client.force_login(gestionnaire)
    assert client.get(f"/gestion/messages/{de_compte.pk}/").status_code == 403
    # Celui qui lui est adressé, il le lit, programme ou pas.
    le_sien = services.preparer_message(
        type_message="essai",
        destinataire=gestionnaire.email,
        utilisateur=gestionnaire,
        gabarit="invitation",
        contexte={"role": "Coach", "lien": "http://x/", "par": _EXPEDITEUR, "invitation": None},
    )
    assert client.get(f"/gestion/messages/{le_sien.pk}/").status_code == 200
    assert "chef-nord@exemple.test" in client.get("/gestion/messages/").text
    client.force_login(UtilisateurFactory(is_superuser=True, is_staff=True))
    reponse = client.get("/gestion/messages/")
    assert reponse.status_code == 200
    assert "4 messages<" in reponse.text
    assert client.get(f"/gestion/messages/{de_compte.pk}/").status_code == 200


def test_la_liste_des_relances_est_cloisonnee_par_programme(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    voisin = UtilisateurFactory(gestionnaire=True)
    nord = ProgrammeFactory(gestionnaires=[gestionnaire])
    ProgrammeFactory(gestionnaires=[voisin])
    date_limite = (timezone.localtime() + datetime.timedelta(days=7)).replace(hour=12, minute=0)
    membre = UtilisateurFactory(candidat=True, email="ccas-nord@exemple.test")
    CandidatureFactory(
        appel=AppelFactory(programme=nord, ouvert=True, date_limite=date_limite),
        structure=StructureFactory(membres=[membre]),
    )
    services_relances.balayer()
    relance = Relance.objects.get()
    assert (relance.programme, relance.message.programme) == (nord, nord)

    client.force_login(voisin)
    reponse = client.get("/gestion/relances/")
    assert reponse.status_code == 200
    assert "ccas-nord@exemple.test" not in reponse.text
    client.force_login(gestionnaire)
    assert "ccas-nord@exemple.test" in client.get("/gestion/relances/").text


def test_chaque_objet_de_courriel_remonte_a_son_programme():
    from tests.fiabilite.monde import construire_monde

    monde = construire_monde()
    programme = monde.programme.pk
    rattachements = {
        nom: id_programme_de(getattr(monde, nom))
        for nom in (
            "programme",
            "appel_ouvert",
            "candidature",
            "jury",
            "affectation",
            "plan",
            "jalon",
            "session",
            "comite",
            "structure_a",
            "referent",
        )
    }
    assert rattachements == {
        "programme": programme,
        "appel_ouvert": programme,
        "candidature": programme,
        "jury": programme,
        "affectation": programme,
        "plan": programme,
        "jalon": programme,
        "session": programme,
        "comite": programme,
        # Une structure et ses référents ne relèvent d'aucun programme en particulier.
        "structure_a": None,
        "referent": None,
    }
    assert id_programme_de(monde.plan_voisin) != programme
    assert id_programme_de(None) is None
