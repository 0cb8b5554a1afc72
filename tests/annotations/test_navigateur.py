"""Le parcours d'une gestionnaire dans Chromium : de l'espace de gestion à la liste des
candidatures d'un appel, elle coche deux candidatures, leur ajoute une nouvelle étiquette,
filtre la liste par elle, ouvre l'une et y écrit une note ; axe sur chaque page."""

import pytest
from playwright.sync_api import expect

from annotations.models import NotePrivee
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_etiqueter_deux_candidatures_filtrer_puis_noter(page, live_server, verifier_accessibilite):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    appel = AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]),
        ouvert=True,
        titre="AMI inclusion numérique 2027",
    )
    for nom in ("CCAS de Houplines", "CCAS de Leers", "Centre social Lys"):
        CandidatureFactory(appel=appel, deposee=True, structure=StructureFactory(nom=nom))
    site = live_server.url

    page.goto(site + "/comptes/login/")
    page.get_by_label("Courriel").fill("gestion@programme.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace de gestion")

    page.get_by_role("link", name="Voir les appels").click()
    page.get_by_role("link", name="AMI inclusion numérique 2027", exact=True).click()
    page.get_by_role("link", name="Candidatures", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidatures")
    verifier_accessibilite(page)

    page.get_by_label("Sélectionner CCAS de Houplines").check()
    page.get_by_label("Sélectionner Centre social Lys").check()
    page.get_by_label("Ou une nouvelle étiquette").fill("À rappeler")
    page.get_by_role("button", name="Ajouter l'étiquette").click()
    expect(page.get_by_text("Étiquette « À rappeler » ajoutée à 2 dossiers.")).to_be_visible()
    verifier_accessibilite(page)

    page.get_by_label("Étiquette", exact=True).select_option(label="À rappeler")
    page.get_by_role("button", name="Filtrer").click()
    lignes = page.get_by_role("table").get_by_role("row")
    expect(lignes).to_have_count(3)  # l'en-tête et les deux candidatures étiquetées
    expect(page.get_by_role("link", name="CCAS de Leers")).to_have_count(0)
    expect(page.get_by_text("2 candidatures", exact=True)).to_be_visible()
    verifier_accessibilite(page)

    page.get_by_role("link", name="Centre social Lys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Centre social Lys")
    notes = page.get_by_role("region", name="Notes privées")
    expect(notes.get_by_text("À rappeler")).to_be_visible()
    notes.get_by_label("Nouvelle note").fill("Rappeler la directrice mardi.")
    notes.get_by_role("button", name="Enregistrer la note").click()
    page.reload()
    expect(
        page.get_by_role("region", name="Notes privées").get_by_text(
            "Rappeler la directrice mardi."
        )
    ).to_be_visible()
    verifier_accessibilite(page)
    assert NotePrivee.objects.get().texte == "Rappeler la directrice mardi."
