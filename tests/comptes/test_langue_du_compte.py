"""La langue d'une personne la suit : gardée sur son compte, rendue à sa connexion, et celle des
courriels qu'elle reçoit, quelle que soit la langue de la personne qui les déclenche."""

import pytest
from django.conf import settings
from django.utils import translation

from comptes import services
from messagerie.catalogue import piece_a_produire
from messagerie.models import Message
from messagerie.services import envoyer, preparer_message
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = pytest.mark.django_db

SUJET_FR = "[Relais] Invitation à rejoindre Relais comme coach"
SUJET_EN = "[Relais] Invitation to join Relais as coach"


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(
        gestionnaire=True, email="gestion@exemple.test", first_name="Nadia", last_name="Roux"
    )


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(nom="Inclusion numérique MEL", gestionnaires=[gestionnaire])


def _inviter(email, gestionnaire, programme):
    services.inviter(email=email, role="coach", programme=programme, par=gestionnaire)
    return Message.objects.get(type="invitation")


@pytest.mark.parametrize("langue_de_l_expediteur", ["fr", "en"])
def test_un_compte_anglophone_recoit_l_invitation_en_anglais(
    gestionnaire, programme, langue_de_l_expediteur
):
    UtilisateurFactory(email="ana@exemple.test", langue="en")

    with translation.override(langue_de_l_expediteur):
        message = _inviter("ana@exemple.test", gestionnaire, programme)

    assert message.sujet == SUJET_EN
    assert message.corps_texte.startswith(
        "Hello,\n\nNadia Roux invites you to join Relais as coach of the programme "
        "“Inclusion numérique MEL”.\n\nOpen this link (valid until "
    )
    assert message.corps_texte.endswith("\n\nThe Relais team\n")
    assert "Bonjour" not in message.corps_texte


@pytest.mark.parametrize("compte", [True, False], ids=["compte francophone", "sans compte"])
@pytest.mark.parametrize("langue_de_l_expediteur", ["fr", "en"])
def test_un_destinataire_francophone_recoit_l_invitation_en_francais(
    gestionnaire, programme, compte, langue_de_l_expediteur
):
    if compte:
        UtilisateurFactory(email="ines@exemple.test", langue="fr")

    with translation.override(langue_de_l_expediteur):
        message = _inviter("ines@exemple.test", gestionnaire, programme)

    assert message.sujet == SUJET_FR
    assert message.corps_texte.startswith(
        "Bonjour,\n\nNadia Roux vous invite à rejoindre Relais comme coach du programme "
        "« Inclusion numérique MEL ».\n\nOuvrez ce lien (valable jusqu'au "
    )
    assert message.corps_texte.endswith("\n\nL'équipe Relais\n")


def test_l_adresse_d_un_compte_est_reconnue_sans_tenir_compte_de_la_casse(gestionnaire, programme):
    UtilisateurFactory(email="ana@exemple.test", langue="en")

    message = _inviter("Ana@Exemple.test", gestionnaire, programme)

    assert message.sujet == SUJET_EN


def test_un_gestionnaire_en_anglais_invite_une_structure_francophone_en_francais(
    client, gestionnaire, programme
):
    client.force_login(gestionnaire)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    reponse = client.post(
        "/gestion/invitations/",
        {"email": "ines@exemple.test", "role": "coach", "programme": programme.pk},
    )

    assert reponse.status_code == 302
    assert Message.objects.get(destinataire="ines@exemple.test").sujet == SUJET_FR
    # La page du gestionnaire, elle, reste dans sa langue.
    assert '<html lang="en">' in client.get("/gestion/invitations/").text


def test_le_selecteur_garde_la_langue_sur_le_compte(client):
    compte = UtilisateurFactory(email="ana@exemple.test")
    assert compte.langue == "fr"
    client.force_login(compte)

    reponse = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert reponse.status_code == 302
    compte.refresh_from_db()
    assert compte.langue == "en"
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    compte.refresh_from_db()
    assert compte.langue == "fr"


def test_le_selecteur_ignore_une_langue_inconnue(client):
    compte = UtilisateurFactory(email="ana@exemple.test", langue="en")
    client.force_login(compte)

    client.post("/i18n/setlang/", {"language": "de", "next": "/"})

    compte.refresh_from_db()
    assert compte.langue == "en"


def test_sans_compte_le_selecteur_ne_pose_que_le_cookie(client):
    reponse = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert reponse.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/").text


@pytest.mark.parametrize(
    "langue_du_compte, langue_du_poste", [("en", "fr"), ("fr", "en")], ids=["en", "fr"]
)
def test_la_connexion_rend_la_langue_du_compte_malgre_le_cookie_du_poste(
    client, langue_du_compte, langue_du_poste
):
    """Le cookie d'un poste partagé peut venir de la personne d'avant : il ne compte pas."""
    compte = UtilisateurFactory(email="ana@exemple.test", langue=langue_du_compte, candidat=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = langue_du_poste

    reponse = client.post(
        "/comptes/login/", {"login": "ana@exemple.test", "password": MOT_DE_PASSE}
    )

    assert reponse.status_code == 302
    assert reponse.cookies[settings.LANGUAGE_COOKIE_NAME].value == langue_du_compte
    assert f'<html lang="{langue_du_compte}">' in client.get("/").text
    compte.refresh_from_db()
    assert compte.langue == langue_du_compte


def test_la_langue_choisie_sur_la_page_de_connexion_reste_et_devient_celle_du_compte(client):
    compte = UtilisateurFactory(email="ana@exemple.test", langue="fr", candidat=True)
    client.post("/i18n/setlang/", {"language": "en", "next": "/comptes/login/"})

    reponse = client.post(
        "/comptes/login/", {"login": "ana@exemple.test", "password": MOT_DE_PASSE}
    )

    assert reponse.status_code == 302
    assert reponse.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/").text
    compte.refresh_from_db()
    assert compte.langue == "en"


def test_apres_une_deconnexion_le_choix_de_la_personne_d_avant_ne_s_impose_pas(client):
    UtilisateurFactory(email="ana@exemple.test", langue="en", candidat=True)
    bea = UtilisateurFactory(email="bea@exemple.test", langue="fr", candidat=True)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/comptes/login/", {"login": "ana@exemple.test", "password": MOT_DE_PASSE})
    client.post("/comptes/logout/")

    client.post("/comptes/login/", {"login": "bea@exemple.test", "password": MOT_DE_PASSE})

    assert '<html lang="fr">' in client.get("/").text
    bea.refresh_from_db()
    assert bea.langue == "fr"


def test_un_compte_cree_sur_invitation_garde_la_langue_de_sa_creation(
    client, gestionnaire, programme
):
    _, jeton = services.inviter(
        email="ana@exemple.test", role="coach", programme=programme, par=gestionnaire
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    reponse = client.post(
        f"/invitation/{jeton}/",
        {
            "prenom": "Ana",
            "nom": "Lopes",
            "mot_de_passe": "Ateliers-numeriques-2026",
            "confirmation": "Ateliers-numeriques-2026",
        },
    )

    assert reponse.status_code == 302
    compte = services.compte_de_l_adresse("ana@exemple.test")
    assert compte.langue == "en"
    assert reponse.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@piece_a_produire
def piece_dans_la_langue_active(objet):
    """Une pièce jointe produite par le worker, nommée d'après la langue active."""
    return f"piece-{translation.get_language()}.txt", b"-", "text/plain"


@pytest.mark.parametrize("langue", ["fr", "en"])
def test_les_pieces_produites_par_le_worker_suivent_la_langue_du_destinataire(
    gestionnaire, programme, langue, mailoutbox
):
    compte = UtilisateurFactory(email="ana@exemple.test", langue=langue)
    message = preparer_message(
        type_message="invitation",
        destinataire=compte.email,
        gabarit="invitation",
        contexte={"role": "Coach", "lien": "http://x/", "par": gestionnaire, "invitation": None},
        objet=programme,
        pieces_a_produire=[f"{__name__}.piece_dans_la_langue_active"],
    )
    autre = "en" if langue == "fr" else "fr"

    with translation.override(autre):
        assert envoyer(message.pk)

    assert [piece.nom for piece in message.pieces_jointes.all()] == [f"piece-{langue}.txt"]
    assert mailoutbox[0].attachments[0][0] == f"piece-{langue}.txt"


def test_l_inscription_garde_la_langue_et_confirme_l_adresse_dans_cette_langue(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post(
        "/comptes/signup/",
        {
            "email": "ccas@houplines.test",
            "password1": "Ateliers-numeriques-2026",
            "password2": "Ateliers-numeriques-2026",
        },
    )

    assert services.compte_de_l_adresse("ccas@houplines.test").langue == "en"
    message = Message.objects.get(destinataire="ccas@houplines.test")
    assert message.sujet == "[Relais] Please Confirm Your Email Address"


def test_les_courriels_de_compte_suivent_la_langue_du_compte(client):
    UtilisateurFactory(email="ana@exemple.test", langue="en")

    client.post("/comptes/password/reset/", {"email": "ana@exemple.test"})

    message = Message.objects.get(destinataire="ana@exemple.test")
    assert message.type == "compte_password_reset_key"
    assert message.sujet == "[Relais] Password Reset Email"
