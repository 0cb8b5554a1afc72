"""Parcours dans Chromium : depuis la page du bilan, la gestionnaire publie les indicateurs
de la cohorte (aperçu, confirmation), suit l'adresse publique ; sans compte, la page du jeu
se lit et ses deux fichiers se téléchargent. axe à chaque page."""

import pytest
from playwright.sync_api import expect

from tests.activite.test_bilan_observateur import construire_cohorte
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_la_gestionnaire_publie_et_le_public_lit_le_jeu(page, live_server, verifier_accessibilite):
    appel = construire_cohorte()
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    appel.programme.gestionnaires.add(gestionnaire)

    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(live_server.url + f"/bilans/{appel.slug}/")
    bloc = page.get_by_role("region", name="Données ouvertes")
    expect(bloc.get_by_text("Aucune donnée sur une personne n'est publiée.")).to_be_visible()
    verifier_accessibilite(page)
    bloc.get_by_role("link", name="Publier en données ouvertes").click()

    apercu = page.get_by_role("table", name="Aperçu du fichier indicateurs.csv")
    expect(apercu.get_by_role("row")).to_have_count(4)
    expect(apercu.get_by_role("cell", name="< 5")).to_have_count(1)
    verifier_accessibilite(page)
    page.get_by_role("button", name="Publier en données ouvertes").click()

    expect(
        page.get_by_text("Indicateurs de la cohorte publiés en données ouvertes.")
    ).to_be_visible()
    bloc = page.get_by_role("region", name="Données ouvertes")
    expect(bloc.get_by_role("link", name="Mettre à jour la publication")).to_be_visible()
    verifier_accessibilite(page)
    adresse = bloc.get_by_role("link", name=f"{live_server.url}/donnees/{appel.slug}/")
    lien = adresse.get_attribute("href")
    page.context.clear_cookies()

    page.goto(lien)
    expect(
        page.get_by_role("heading", level=1, name="Indicateurs de la cohorte — Appel 2022")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Licence Ouverte 2.0")).to_have_attribute(
        "href", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    )
    expect(page.get_by_role("row", name="femmes_pct")).to_contain_text("%")
    verifier_accessibilite(page)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Les indicateurs (CSV, UTF-8, séparateur virgule)").click()
    assert telechargement.value.suggested_filename == "indicateurs.csv"
    chemin = page.get_by_role(
        "link", name="Leur description (Frictionless Data Package, JSON)"
    ).get_attribute("href")
    descripteur = page.request.get(live_server.url + chemin)
    assert descripteur.ok
    assert descripteur.json()["licenses"][0]["title"] == "Licence Ouverte 2.0"
