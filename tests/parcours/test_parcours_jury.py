"""Une membre du jury, de sa déclaration de conflit d'intérêts à ses notes validées, par les
pages seulement ; connexion par le formulaire, axe sur chaque page (aucune violation)."""

import pytest
from playwright.sync_api import expect

from evaluation.models import Evaluation
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.evaluation.factories import AffectationFactory, JuryFactory, MembreJuryFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_de_la_declaration_aux_notes_validees(page, live_server, axe):
    jury = JuryFactory(appel__programme=ProgrammeFactory(), appel__titre="AMI 2027")
    claire = UtilisateurFactory(
        membre_jury=True, email="claire@jury.test", first_name="Claire", last_name="Dubois"
    )
    moi = MembreJuryFactory(jury=jury, utilisateur=claire)
    for nom in ("CCAS de Houplines", "CCAS de Leers"):
        candidature = CandidatureFactory(
            appel=jury.appel, recevable=True, structure=StructureFactory(nom=nom)
        )
        AffectationFactory(membre=moi, candidature=candidature)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Courriel").fill("claire@jury.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe(page)
    page.get_by_role("link", name="Mon espace jury").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    axe(page)

    # Houplines : pas de conflit, un brouillon, puis les notes validées.
    page.get_by_role("link", name="CCAS de Houplines").click()
    axe(page)
    page.get_by_label("Je n'ai pas de conflit d'intérêts").check()
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    expect(page.get_by_role("heading", name="Mes notes")).to_be_visible()
    axe(page)
    page.get_by_label("Adéquation (sur 5", exact=False).first.fill("4")
    page.get_by_label("Partenariats (sur 10", exact=False).first.fill("7")
    page.get_by_label("Commentaire général").fill("Un projet solide, des partenaires engagés.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré")).to_be_visible()
    # Le brouillon rouvert montre ce qui a été saisi.
    page.reload()
    expect(page.get_by_label("Adéquation (sur 5", exact=False).first).to_have_value("4")
    expect(page.get_by_label("Commentaire général")).to_have_value(
        "Un projet solide, des partenaires engagés."
    )
    axe(page)
    page.get_by_role("button", name="Valider mes notes").click()
    expect(page.get_by_text("Notes validées : 15,50 / 20.")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="← Espace jury").click()

    # Leers : un conflit déclaré, la candidature n'est plus à noter.
    page.get_by_role("link", name="CCAS de Leers").click()
    page.get_by_label("J'ai un conflit d'intérêts").check()
    page.get_by_label("Type de conflit").select_option("famille")
    page.get_by_label("Précision (facultative)").fill("Ma sœur préside le conseil d'administration")
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    expect(
        page.get_by_text("Conflit déclaré : vous êtes récusé pour CCAS de Leers.")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Récusé (conflit déclaré)")).to_be_visible()
    axe(page)

    evaluations = Evaluation.objects.filter(affectation__membre=moi)
    assert list(
        evaluations.values_list("affectation__candidature__structure__nom", "etat", "commentaire")
    ) == [("CCAS de Houplines", "validee", "Un projet solide, des partenaires engagés.")]
    axe.aucune_violation()
