"""Une question conditionnelle dans Chromium : la gestionnaire l'ajoute depuis la page des
questions de son appel ; la structure la voit apparaître quand elle répond « Oui », puis
dépose. axe sur chaque page."""

import pytest
from playwright.sync_api import expect

from candidatures.models import Candidature
from programmes.enums import TypeQuestion
from tests.candidatures.factories import (
    AppelFactory,
    ProgrammeFactory,
    QuestionFactory,
    StructureFactory,
)
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATELIERS = "Avez-vous déjà animé des ateliers numériques ?"
PERSONNES = "Combien de personnes par an ?"


def _connexion(page, site, email):
    page.goto(site + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_une_question_conditionnelle_de_l_editeur_au_depot(
    page, browser, live_server, verifier_accessibilite
):
    site = live_server.url
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    appel = AppelFactory(
        programme=ProgrammeFactory(nom="Inclusion numérique MEL", gestionnaires=[gestionnaire]),
        titre="AMI 2028",
        slug="ami-2028",
    )
    QuestionFactory(appel=appel, ordre=1, type=TypeQuestion.OUI_NON, libelle=ATELIERS)
    candidat = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    StructureFactory(nom="CCAS de Houplines", membres=[candidat])

    # La gestionnaire ajoute la question, à n'afficher que si la réponse est « Oui ».
    gestion = browser.new_context().new_page()
    _connexion(gestion, site, "gestion@programme.test")
    gestion.goto(site + "/gestion/")
    gestion.get_by_role("link", name="Voir les appels").click()
    gestion.get_by_role("link", name="AMI 2028", exact=True).click()
    gestion.get_by_role("link", name="Questions et pièces").click()
    verifier_accessibilite(gestion)
    # La ligne vide du jeu de formulaires, après la question 1 (comme les autres tests de
    # l'éditeur, par son identifiant).
    gestion.locator("#id_questions-1-libelle").fill(PERSONNES)
    gestion.locator("#id_questions-1-type").select_option(label="Nombre")
    condition = gestion.locator("#id_questions-1-condition")
    expect(condition).to_have_accessible_name("Afficher seulement si la réponse à")
    condition.select_option(label=f"Q1. {ATELIERS}")
    valeur = gestion.locator("#id_questions-1-condition_valeur")
    expect(valeur).to_have_accessible_name("Quand la réponse est")
    valeur.select_option(label="Oui")
    gestion.get_by_role("button", name="Enregistrer").click()
    expect(
        gestion.get_by_text("Les questions et les pièces demandées sont enregistrées.")
    ).to_be_visible()
    expect(gestion.locator("#ordre-questions")).to_contain_text(
        f"{PERSONNES} (affichée si la réponse à « {ATELIERS} » est « Oui »)"
    )
    verifier_accessibilite(gestion)
    gestion.get_by_role("link", name="← AMI 2028").click()
    gestion.get_by_role("button", name="Publier l'appel").click()
    expect(gestion.get_by_text("L'appel est publié")).to_be_visible()

    # La structure : la question n'apparaît qu'après « Oui ».
    _connexion(page, site, "ccas@houplines.test")
    page.get_by_role("link", name="AMI 2028").first.click()
    page.get_by_role("button", name="Candidater pour CCAS de Houplines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AMI 2028")
    personnes = page.get_by_label(PERSONNES)
    expect(personnes).to_be_hidden()
    expect(page.get_by_text("À remplir seulement si")).to_be_hidden()
    panneau = page.locator("#panneau-completude")
    expect(panneau).to_contain_text("Ce qui manque (1)")
    verifier_accessibilite(page)

    ateliers = page.get_by_role("group", name=ATELIERS)
    ateliers.get_by_label("Oui").check()
    expect(personnes).to_be_visible()
    expect(page.locator("#annonce-conditions")).to_have_text(f"Question ajoutée : « {PERSONNES} ».")
    expect(page.locator("#statut-enregistrement")).to_contain_text(
        "Brouillon enregistré automatiquement"
    )
    expect(panneau).to_contain_text(f"Question 2 : {PERSONNES}")
    verifier_accessibilite(page)

    # Montrée et vide, elle empêche le dépôt ; remplie, le dépôt passe.
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.get_by_label(PERSONNES)).to_be_visible()
    expect(page.locator("#panneau-completude")).to_contain_text(f"Question 2 : {PERSONNES}")
    page.get_by_label(PERSONNES).fill("45")
    page.get_by_role("group", name=ATELIERS).get_by_label("Non").check()
    expect(page.get_by_label(PERSONNES)).to_be_hidden()
    expect(page.locator("#annonce-conditions")).to_have_text(f"Question masquée : « {PERSONNES} ».")
    expect(page.locator("#statut-enregistrement")).to_contain_text(
        "Brouillon enregistré automatiquement"
    )
    # Relue du serveur (un GET : recharger la page du dépôt refusé renverrait le formulaire).
    page.goto(page.url)
    expect(page.get_by_label(PERSONNES)).to_be_hidden()
    expect(page.locator("#panneau-completude")).to_contain_text("Rien ne manque")
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator("main .badge").first).to_have_text("Déposée")
    verifier_accessibilite(page)

    candidature = Candidature.objects.get()
    assert candidature.etat == "deposee"
    # La réponse tapée avant de revenir sur « Non » reste enregistrée, mais ne se lit pas.
    expect(page.get_by_text(PERSONNES)).to_have_count(0)
    assert list(candidature.reponses.values()) in ([False, 45], [45, False])
