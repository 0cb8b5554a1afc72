"""Un observateur partenaire lit le bilan de la cohorte, par les pages seulement, et en
télécharge le PDF et le tableur ; connexion par le formulaire, axe sur chaque page (aucune
violation)."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.activite.jeu_de_donnees import construire
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_l_observateur_lit_le_bilan(page, live_server, axe, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    appel, _structures = construire()
    UtilisateurFactory(observateur=True, email="omar@partenaire.test", first_name="Omar")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Courriel").fill("omar@partenaire.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe(page)
    page.get_by_role("link", name="Bilans des cohortes").click()
    axe(page)
    page.get_by_role("link", name=appel.titre).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Bilan de la cohorte — {appel.titre}"
    )
    expect(page.get_by_role("img", name="Personnes accompagnées par genre")).to_be_visible()
    expect(page.locator("dl.chiffres-bilan")).to_contain_text("55,4")
    axe(page)

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le tableur (XLSX)").click()
    with open(telechargement.value.path(), "rb") as fichier:
        classeur = load_workbook(io.BytesIO(fichier.read()))
    assert classeur.sheetnames != []

    with page.expect_response(lambda reponse: "bilan.pdf" in reponse.url) as ouverture:
        page.get_by_role("link", name="Télécharger le PDF").click()
    pdf = ouverture.value
    assert (pdf.status, pdf.headers["content-type"]) == (200, "application/pdf")
    assert page.request.get(pdf.url).body()[:5] == b"%PDF-"
    axe.aucune_violation()
