"""Une structure candidate, de « Suis-je éligible ? » à sa candidature déposée et son récépissé,
par les pages seulement ; axe sur chaque page (aucune violation)."""

import pytest
from playwright.sync_api import expect

from candidatures.models import Candidature
from tests.candidatures.factories import AppelFactory, ProgrammeFactory, siret_valide
from tests.candidatures.fichiers import PDF
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_de_l_eligibilite_au_recepisse(page, live_server, axe, tmp_path):
    AppelFactory(
        programme=ProgrammeFactory(nom="Inclusion numérique MEL"),
        ouvert=True,
        avec_questions=True,
        titre="AMI inclusion numérique 2027",
        slug="ami-2027",
    )
    UtilisateurFactory(candidat=True, email="ccas@houplines.test", first_name="Claire")
    site = live_server.url

    # Avant de se connecter : la commune de la structure est-elle éligible ?
    page.goto(site + "/")
    axe(page)
    page.get_by_role(
        "link", name="Suis-je éligible ? Vérifiez la commune de votre structure"
    ).click()
    axe(page)
    page.get_by_role("combobox", name="Commune de votre structure").press_sequentially("houpl")
    page.get_by_role("option").filter(has_text="Houplines (59)").click()
    page.get_by_role("button", name="Vérifier l'éligibilité").click()
    expect(page.get_by_role("status").filter(has_text="Houplines (59317)")).to_have_text(
        "Houplines (59317) est éligible."
    )
    axe(page)
    page.get_by_role("link", name="J'ai déjà un compte").click()
    axe(page)
    page.get_by_label("Courriel").fill("ccas@houplines.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()

    # Mon espace → le profil de la structure.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe(page)
    page.get_by_role("link", name="Créer le profil de ma structure").click()
    axe(page)
    page.get_by_label("Nom de la structure").fill("CCAS de Houplines")
    page.get_by_label("Type de structure").select_option("ccas")
    page.get_by_label("SIRET").fill(siret_valide(59317))
    commune = page.get_by_role("combobox", name="Commune où la structure est implantée")
    commune.press_sequentially("houpl")
    page.get_by_role("option").filter(has_text="Houplines (59)").click()
    page.locator("#id_adresse").fill("1 place de la Mairie")
    page.get_by_label("Code postal").fill("59116")
    page.get_by_label("Nom de la personne à contacter").fill("Claire Martin")
    page.get_by_label("Adresse électronique de contact").fill("ccas@houplines.test")
    page.get_by_label("Téléphone").fill("03 20 00 00 00")
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Le profil de CCAS de Houplines est créé.")).to_be_visible()
    axe(page)

    # L'appel dit l'éligibilité de la structure ; la candidature, remplie puis déposée.
    page.get_by_role("link", name="AMI inclusion numérique 2027").click()
    expect(page.get_by_text("Houplines (59317) : aucun QPV (liste 2024)")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Candidater pour CCAS de Houplines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AMI inclusion numérique 2027")
    axe(page)
    page.get_by_label("Quels publics accueillez-vous ?").fill("Des seniors isolés, des familles.")
    page.get_by_role("group", name="Disposez-vous d'une salle équipée ?").get_by_label(
        "Oui"
    ).check()
    page.get_by_label("Combien de personnes accompagnez-vous par an ?").fill("120")
    fichier = tmp_path / "statuts.pdf"
    fichier.write_bytes(PDF)
    page.get_by_label("Statuts ou délibération").set_input_files(str(fichier))
    expect(page.get_by_text("Fichier joint : statuts.pdf")).to_be_visible()
    expect(page.locator("#panneau-completude")).to_contain_text("Rien ne manque")
    axe(page)
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator("main .badge").first).to_have_text("Déposée")
    axe(page)

    # Le récépissé s'ouvre d'un clic (PDF affiché dans le navigateur).
    with page.expect_response(lambda reponse: "recepisse" in reponse.url) as ouverture:
        page.get_by_role("link", name="Télécharger le récépissé (PDF)").click()
    recepisse = ouverture.value
    assert (recepisse.status, recepisse.headers["content-type"]) == (200, "application/pdf")
    # Chromium montre le PDF dans sa visionneuse : les octets se relisent par la même session.
    assert page.request.get(recepisse.url).body()[:5] == b"%PDF-"
    page.go_back()

    # De retour sur Mon espace, la candidature est là, déposée.
    page.get_by_role("link", name="Mon espace", exact=True).click()
    expect(page.get_by_role("link", name="AMI inclusion numérique 2027").first).to_be_visible()
    axe(page)
    candidature = Candidature.objects.get()
    assert (candidature.etat, candidature.reponses != {}) == ("deposee", True)
    axe.aucune_violation()
