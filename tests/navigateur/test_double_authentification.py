"""La double authentification dans Chromium : une gestionnaire qui a son application se connecte
depuis l'accueil, saisit le code affiché par son téléphone et atteint l'espace de gestion ; la
même, passant par l'administration, rencontre la même connexion et la même étape du code."""

import pytest
from playwright.sync_api import expect

from tests.candidatures.factories import ProgrammeFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory
from tests.securite.totp import activer_totp, code_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gaelle(settings):
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = True
    gestionnaire = UtilisateurFactory(
        gestionnaire=True,
        is_staff=True,
        email="gaelle.martin@cc-pevele.test",
        first_name="Gaëlle",
        last_name="Martin",
    )
    ProgrammeFactory(gestionnaires=[gestionnaire], nom="Conseillers numériques Pévèle")
    return gestionnaire, activer_totp(gestionnaire)


def _mot_de_passe_puis_code(page, gestionnaire, secret, verifier_accessibilite):
    page.get_by_label("Courriel").fill(gestionnaire.email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Authentification à deux facteurs")
    verifier_accessibilite(page)
    page.get_by_label("Code").fill(code_totp(secret))
    page.get_by_role("button", name="Connexion").click()


def test_connexion_depuis_l_accueil_avec_le_code_de_l_application(
    page, live_server, gaelle, verifier_accessibilite
):
    gestionnaire, secret = gaelle
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    _mot_de_passe_puis_code(page, gestionnaire, secret, verifier_accessibilite)

    expect(page).to_have_url(live_server.url + "/gestion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace de gestion")
    page.get_by_role("link", name="Voir les messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages envoyés")


def test_l_administration_passe_par_la_meme_connexion_et_le_code(
    page, live_server, gaelle, verifier_accessibilite
):
    gestionnaire, secret = gaelle
    page.goto(live_server.url + "/admin/login/")
    expect(page).to_have_url(live_server.url + "/comptes/login/?next=%2Fadmin%2Flogin%2F")
    expect(page.get_by_label("Code")).to_have_count(0)
    _mot_de_passe_puis_code(page, gestionnaire, secret, verifier_accessibilite)

    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
