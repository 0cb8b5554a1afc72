"""Double authentification imposée aux comptes qui voient tout (MFA_OBLIGATOIRE_GESTIONNAIRES) :
gestionnaires, membres du personnel (is_staff) et superutilisateurs doivent avoir passé le code
de leur application (TOTP) DANS CETTE SESSION, sur toutes les pages, administration comprise."""

import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comptes import services as services_comptes
from messagerie.models import Message
from noyau.roles import Role
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory
from tests.securite.totp import activer_totp, code_totp

pytestmark = pytest.mark.django_db

ACTIVATION = "/comptes/2fa/totp/activate/"
CODE = "/comptes/2fa/authenticate/"


def _second_facteur(suivant):
    return "/comptes/2fa/reauthenticate/?next=" + quote(suivant, safe="")


@pytest.fixture
def obligatoire(settings):
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = True


@pytest.fixture
def gestionnaire_du_personnel():
    """Un gestionnaire qui est aussi membre du personnel, avec son appel et son application."""
    gestionnaire = UtilisateurFactory(gestionnaire=True, is_staff=True, email="gestion@relais.test")
    appel = AppelFactory(programme=ProgrammeFactory(gestionnaires=[gestionnaire]), ouvert=True)
    secret = activer_totp(gestionnaire)
    return gestionnaire, appel, secret


def _pages_sensibles(appel):
    return [
        "/gestion/",
        "/gestion/messages/",
        f"/gestion/appels/{appel.pk}/candidatures/export.csv",
        f"/gestion/appels/{appel.pk}/candidatures/export.xlsx",
        "/admin/",
        "/admin/password_change/",
    ]


def _connexion_avec_code(client, email, secret, suivant=""):
    url = "/comptes/login/" + (f"?next={quote(suivant, safe='')}" if suivant else "")
    reponse = client.post(url, {"login": email, "password": MOT_DE_PASSE})
    assert (reponse.status_code, reponse["Location"]) == (302, CODE)
    assert "_auth_user_id" not in client.session
    return client.post(CODE, {"code": code_totp(secret)})


# --- Sans application enregistrée : vers l'activation ---------------------------------------


def test_gestionnaire_sans_totp_renvoye_vers_l_activation(client, obligatoire):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    reponse = client.get("/gestion/")
    assert reponse.status_code == 302
    assert reponse["Location"] == ACTIVATION
    reponse = client.get("/gestion/", follow=True)
    assert "activez la double authentification" in reponse.content.decode()


@pytest.mark.parametrize(
    "compte",
    [
        {"is_superuser": True},
        {"is_staff": True},
        {"is_staff": True, "is_superuser": True},
    ],
    ids=["superutilisateur", "personnel", "personnel-superutilisateur"],
)
@pytest.mark.parametrize("chemin", ["/gestion/messages/", "/admin/", "/tableau-de-bord/"])
def test_personnel_et_superutilisateur_sans_totp_renvoyes_vers_l_activation(
    client, obligatoire, compte, chemin
):
    client.force_login(UtilisateurFactory(**compte))
    reponse = client.get(chemin)
    assert (reponse.status_code, reponse["Location"]) == (302, ACTIVATION)


@pytest.mark.parametrize("chemin", ["/sante/", "/static/css/relais.css"])
def test_gestionnaire_sans_totp_atteint_les_pages_permises(client, obligatoire, chemin):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    assert client.get(chemin).status_code == 200


def test_gestionnaire_sans_totp_atteint_l_activation_apres_reauthentification(client, obligatoire):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    reponse = client.get(ACTIVATION, follow=True)
    assert reponse.redirect_chain == [
        ("/comptes/reauthenticate/?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F", 302)
    ]
    assert reponse.status_code == 200
    client.post(
        "/comptes/reauthenticate/?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F",
        {"password": MOT_DE_PASSE},
    )
    reponse = client.get(ACTIVATION)
    assert reponse.status_code == 200
    assert "data:image/svg+xml" in reponse.content.decode()


@pytest.mark.django_db(transaction=True)
def test_le_code_saisi_a_l_activation_vaut_second_facteur_pour_la_session(client, obligatoire):
    """Activer l'application, c'est saisir un code juste : la session n'en redemande pas un
    autre pour montrer les codes de secours puis l'espace de gestion. (Transactionnel : allauth
    annonce l'activation après la validation de la transaction, avant la fin de la vue.)"""
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="nouveau@relais.test")
    reponse = client.post(
        "/comptes/login/", {"login": "nouveau@relais.test", "password": MOT_DE_PASSE}
    )
    assert reponse["Location"] == "/tableau-de-bord/"
    assert client.get("/tableau-de-bord/")["Location"] == ACTIVATION
    client.post("/comptes/reauthenticate/", {"password": MOT_DE_PASSE})
    assert client.get(ACTIVATION).status_code == 200
    secret = client.session["mfa.totp.secret"]
    reponse = client.post(ACTIVATION, {"code": code_totp(secret)})
    assert (reponse.status_code, reponse["Location"]) == (302, "/comptes/2fa/recovery-codes/")
    assert Authenticator.objects.filter(user=gestionnaire, type="totp").count() == 1
    assert client.get("/comptes/2fa/recovery-codes/").status_code == 200
    assert client.get("/gestion/").status_code == 200


def test_gestionnaire_sans_totp_peut_se_deconnecter(client, obligatoire):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    reponse = client.post("/comptes/logout/")
    assert reponse.status_code == 302
    assert "_auth_user_id" not in client.session


# --- Avec une application : le code doit avoir été saisi dans CETTE session ------------------


def test_connexion_directe_a_l_administration_par_mot_de_passe_refusee(
    client, obligatoire, gestionnaire_du_personnel
):
    """Le formulaire de l'administration ne connecte plus personne : il renvoie vers la
    connexion d'allauth, qui demande le code."""
    gestionnaire, appel, _secret = gestionnaire_du_personnel
    reponse = client.post(
        "/admin/login/?next=/admin/",
        {"username": gestionnaire.email, "password": MOT_DE_PASSE, "next": "/admin/"},
    )
    assert (reponse.status_code, reponse["Location"]) == (302, "/comptes/login/?next=%2Fadmin%2F")
    assert "_auth_user_id" not in client.session
    for chemin in _pages_sensibles(appel):
        reponse = client.get(chemin)
        assert reponse.status_code == 302, chemin
        assert reponse["Location"].startswith("/comptes/login/") or reponse["Location"].startswith(
            "/admin/login/"
        ), chemin


def test_session_sans_code_refusee_partout(client, obligatoire, gestionnaire_du_personnel):
    """Une session ouverte par le mot de passe seul (comme l'ancien formulaire de
    l'administration) n'atteint ni la gestion, ni les exports, ni les messages, ni
    l'administration : elle est renvoyée vers la saisie du code."""
    gestionnaire, appel, _secret = gestionnaire_du_personnel
    client.force_login(gestionnaire)
    for chemin in _pages_sensibles(appel):
        reponse = client.get(chemin)
        assert (reponse.status_code, reponse["Location"]) == (302, _second_facteur(chemin))
    reponse = client.get("/gestion/", follow=True)
    contenu = reponse.content.decode()
    assert "saisissez le code de votre application" in contenu
    assert 'name="code"' in contenu
    # Le mot de passe n'est pas proposé à la place : il ne suffirait pas.
    assert "/comptes/reauthenticate/" not in contenu


def test_session_sans_code_ne_contourne_pas_par_le_mot_de_passe(
    client, obligatoire, gestionnaire_du_personnel
):
    gestionnaire, _appel, _secret = gestionnaire_du_personnel
    client.force_login(gestionnaire)
    reponse = client.post("/comptes/reauthenticate/?next=/gestion/", {"password": MOT_DE_PASSE})
    assert (reponse.status_code, reponse["Location"]) == (
        302,
        _second_facteur("/comptes/reauthenticate/?next=/gestion/"),
    )
    assert client.get("/gestion/")["Location"] == _second_facteur("/gestion/")
    # Les codes de secours ne se lisent pas non plus sans le code.
    reponse = client.get("/comptes/2fa/recovery-codes/")
    assert reponse["Location"] == _second_facteur("/comptes/2fa/recovery-codes/")


def test_session_sans_code_passe_apres_saisie_du_code(
    client, obligatoire, gestionnaire_du_personnel
):
    gestionnaire, _appel, secret = gestionnaire_du_personnel
    client.force_login(gestionnaire)
    reponse = client.post(_second_facteur("/gestion/"), {"code": "000000"})
    assert reponse.status_code == 200
    assert client.get("/gestion/").status_code == 302
    reponse = client.post(_second_facteur("/gestion/"), {"code": code_totp(secret)})
    assert (reponse.status_code, reponse["Location"]) == (302, "/gestion/")
    assert client.get("/gestion/").status_code == 200
    # Une fois le code saisi, allauth propose de nouveau le mot de passe pour se réauthentifier.
    contenu = client.get(_second_facteur("/gestion/")).content.decode()
    assert "/comptes/reauthenticate/?next=%2Fgestion%2F" in contenu


def test_connexion_par_allauth_avec_code_ouvre_tout(client, obligatoire, gestionnaire_du_personnel):
    gestionnaire, appel, secret = gestionnaire_du_personnel
    reponse = _connexion_avec_code(client, gestionnaire.email, secret)
    assert (reponse.status_code, reponse["Location"]) == (302, "/tableau-de-bord/")
    statuts = {chemin: client.get(chemin).status_code for chemin in _pages_sensibles(appel)}
    assert statuts == {chemin: 200 for chemin in _pages_sensibles(appel)}


def test_l_administration_passe_par_la_connexion_d_allauth_et_son_code(
    client, obligatoire, gestionnaire_du_personnel
):
    gestionnaire, _appel, secret = gestionnaire_du_personnel
    reponse = client.get("/admin/", follow=True)
    assert reponse.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        ("/comptes/login/?next=%2Fadmin%2F", 302),
    ]
    reponse = _connexion_avec_code(client, gestionnaire.email, secret, suivant="/admin/")
    assert (reponse.status_code, reponse["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_superutilisateur_avec_code_lit_la_boite_d_envoi(client, obligatoire):
    admin = UtilisateurFactory(is_staff=True, is_superuser=True, email="admin@relais.test")
    secret = activer_totp(admin)
    client.force_login(admin)
    assert client.get("/gestion/messages/")["Location"] == _second_facteur("/gestion/messages/")
    client.logout()
    reponse = _connexion_avec_code(client, admin.email, secret, suivant="/gestion/messages/")
    assert (reponse.status_code, reponse["Location"]) == (302, "/gestion/messages/")
    assert client.get("/gestion/messages/").status_code == 200


def test_retirer_son_application_renvoie_vers_l_activation(
    client, obligatoire, gestionnaire_du_personnel
):
    gestionnaire, _appel, secret = gestionnaire_du_personnel
    _connexion_avec_code(client, gestionnaire.email, secret)
    assert client.get("/gestion/").status_code == 200
    client.post("/comptes/reauthenticate/", {"password": MOT_DE_PASSE})
    reponse = client.post("/comptes/2fa/totp/deactivate/")
    assert reponse.status_code == 302
    assert Authenticator.objects.filter(user=gestionnaire).count() == 0
    assert client.get("/gestion/")["Location"] == ACTIVATION


# --- Sessions ouvertes autrement que par le formulaire de connexion ---------------------------


def test_invitation_acceptee_par_un_nouveau_gestionnaire_mene_a_l_activation(client, obligatoire):
    invitant = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[invitant])
    services_comptes.inviter(
        email="recrue@relais.test", role=Role.GESTIONNAIRE, programme=programme, par=invitant
    )
    message = Message.objects.get(destinataire="recrue@relais.test")
    jeton = re.search(r"/invitation/([\w-]+)/", message.corps_texte).group(1)
    reponse = client.post(
        f"/invitation/{jeton}/",
        {
            "prenom": "Rémi",
            "nom": "Recrue",
            "mot_de_passe": MOT_DE_PASSE,
            "confirmation": MOT_DE_PASSE,
        },
    )
    assert (reponse.status_code, reponse["Location"]) == (302, "/tableau-de-bord/")
    assert client.get("/tableau-de-bord/")["Location"] == ACTIVATION
    assert client.get("/gestion/")["Location"] == ACTIVATION


def test_invitation_d_un_gestionnaire_qui_a_son_application_ne_connecte_personne(
    client, obligatoire, gestionnaire_du_personnel
):
    """The link of an address that has an account never opens a session: its holder signs in
    through the login, code step included (tests/comptes/test_invitations.py walks it)."""
    gestionnaire, _appel, secret = gestionnaire_du_personnel
    invitant = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[invitant])
    services_comptes.inviter(
        email=gestionnaire.email, role=Role.COACH, programme=programme, par=invitant
    )
    message = Message.objects.get(destinataire=gestionnaire.email)
    jeton = re.search(r"/invitation/([\w-]+)/", message.corps_texte).group(1)
    reponse = client.post(
        f"/invitation/{jeton}/",
        {
            "prenom": "Gaëlle",
            "nom": "Gestion",
            "mot_de_passe": MOT_DE_PASSE,
            "confirmation": MOT_DE_PASSE,
        },
    )
    assert reponse.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get("/gestion/")["Location"] == "/comptes/login/?next=/gestion/"


def test_confirmation_d_adresse_ne_connecte_pas_sans_le_code(client, obligatoire):
    """ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION : la connexion reprise après le lien de
    confirmation passe encore par l'étape du code."""
    admin = UtilisateurFactory(is_staff=True, is_superuser=True, email="admin@relais.test")
    EmailAddress.objects.filter(user=admin).update(verified=False)
    secret = activer_totp(admin)
    reponse = client.post("/comptes/login/", {"login": admin.email, "password": MOT_DE_PASSE})
    assert (reponse.status_code, reponse["Location"]) == (302, "/comptes/confirm-email/")
    message = Message.objects.get(destinataire=admin.email)
    chemin = re.search(r"https?://[^/]+(/comptes/confirm-email/[^/\s]+/)", message.corps_texte)
    reponse = client.post(chemin.group(1))
    assert (reponse.status_code, reponse["Location"]) == (302, CODE)
    assert "_auth_user_id" not in client.session
    reponse = client.post(CODE, {"code": code_totp(secret)})
    assert (reponse.status_code, reponse["Location"]) == (302, "/tableau-de-bord/")
    assert client.get("/gestion/messages/").status_code == 200


def test_reinitialisation_du_mot_de_passe_ne_connecte_pas(client, obligatoire):
    admin = UtilisateurFactory(is_staff=True, is_superuser=True, email="admin@relais.test")
    activer_totp(admin)
    client.post("/comptes/password/reset/", {"email": admin.email})
    message = Message.objects.get(destinataire=admin.email)
    chemin = re.search(r"https?://[^/]+(/comptes/password/reset/key/[^/\s]+/)", message.corps_texte)
    reponse = client.get(chemin.group(1))
    assert reponse.status_code == 302
    reponse = client.post(
        reponse["Location"],
        {"password1": "Un-tout-nouveau-secret-2026", "password2": "Un-tout-nouveau-secret-2026"},
    )
    assert (reponse.status_code, reponse["Location"]) == (302, "/comptes/password/reset/key/done/")
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.get(pk=admin.pk).check_password("Un-tout-nouveau-secret-2026")


# --- Qui n'est pas concerné, et ce que cela coûte ---------------------------------------------


def test_autres_roles_non_concernes(client, obligatoire):
    client.force_login(UtilisateurFactory(candidat=True))
    assert client.get("/tableau-de-bord/").status_code == 200


def test_reglage_eteint_le_gestionnaire_passe_sans_totp(client, settings):
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = False
    client.force_login(UtilisateurFactory(gestionnaire=True, is_staff=True, is_superuser=True))
    assert client.get("/gestion/").status_code == 200
    assert client.get("/admin/").status_code == 200


def _requetes(client, chemin):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(chemin).status_code == 200
    return len(requetes)


def test_cout_par_requete(client, settings, gestionnaire_du_personnel):
    """Une session qui a passé le code ne coûte aucune requête de plus ; un compte sans rôle
    privilégié non plus (ses rôles se lisent sur la ligne du compte, déjà chargée)."""
    gestionnaire, _appel, secret = gestionnaire_du_personnel
    _connexion_avec_code(client, gestionnaire.email, secret)
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = False
    sans = _requetes(client, "/gestion/")
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = True
    assert _requetes(client, "/gestion/") - sans == 0

    client.logout()
    client.force_login(UtilisateurFactory(candidat=True))
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = False
    sans = _requetes(client, "/tableau-de-bord/")
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = True
    assert _requetes(client, "/tableau-de-bord/") - sans == 0
