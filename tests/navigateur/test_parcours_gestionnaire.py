"""Parcours de fumée dans Chromium : accueil → connexion du gestionnaire → espace de gestion."""

import pytest
from playwright.sync_api import expect

from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accueil_connexion_puis_espace_de_gestion(page, live_server, verifier_accessibilite):
    UtilisateurFactory(gestionnaire=True, email="gestionnaire@exemple.test", first_name="Gaëlle")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Relais")
    verifier_accessibilite(page)

    page.get_by_role("link", name="Se connecter").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_label("Courriel").fill("gestionnaire@exemple.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()

    expect(page).to_have_url(live_server.url + "/gestion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace de gestion")
    verifier_accessibilite(page)

    page.get_by_role("link", name="Voir les messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages envoyés")
    verifier_accessibilite(page)
