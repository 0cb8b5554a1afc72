"""Double authentification imposée aux gestionnaires (MFA_OBLIGATOIRE_GESTIONNAIRES)."""

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def obligatoire(settings):
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = True


def _avec_totp(utilisateur):
    Authenticator.objects.create(
        user=utilisateur, type=Authenticator.Type.TOTP, data={"secret": "secret-de-test"}
    )
    return utilisateur


def test_gestionnaire_sans_totp_renvoye_vers_l_activation(client, obligatoire):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    reponse = client.get("/gestion/")
    assert reponse.status_code == 302
    assert reponse["Location"] == "/comptes/2fa/totp/activate/"
    reponse = client.get("/gestion/", follow=True)
    assert "activez la double authentification" in reponse.content.decode()


@pytest.mark.parametrize("chemin", ["/sante/", "/static/css/relais.css"])
def test_gestionnaire_sans_totp_atteint_les_pages_permises(client, obligatoire, chemin):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    assert client.get(chemin).status_code == 200


def test_gestionnaire_sans_totp_atteint_l_activation_apres_reauthentification(client, obligatoire):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    reponse = client.get("/comptes/2fa/totp/activate/", follow=True)
    assert reponse.redirect_chain == [
        ("/comptes/reauthenticate/?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F", 302)
    ]
    assert reponse.status_code == 200
    client.post(
        "/comptes/reauthenticate/?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F",
        {"password": MOT_DE_PASSE},
    )
    reponse = client.get("/comptes/2fa/totp/activate/")
    assert reponse.status_code == 200
    assert "data:image/svg+xml" in reponse.content.decode()


def test_gestionnaire_sans_totp_peut_se_deconnecter(client, obligatoire):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    reponse = client.post("/comptes/logout/")
    assert reponse.status_code == 302
    assert "_auth_user_id" not in client.session


def test_gestionnaire_avec_totp_passe(client, obligatoire):
    client.force_login(_avec_totp(UtilisateurFactory(gestionnaire=True)))
    assert client.get("/gestion/").status_code == 200


def test_autres_roles_non_concernes(client, obligatoire):
    client.force_login(UtilisateurFactory(candidat=True))
    assert client.get("/tableau-de-bord/").status_code == 200


def test_reglage_eteint_le_gestionnaire_passe_sans_totp(client, settings):
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = False
    client.force_login(UtilisateurFactory(gestionnaire=True))
    assert client.get("/gestion/").status_code == 200
