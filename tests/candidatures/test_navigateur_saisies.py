"""Ce que le navigateur montre et renvoie quand une structure remplit sa candidature : une date
tapée survit à chaque enregistrement, une erreur sur un fichier se lit à côté de son champ."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from programmes.enums import TypeQuestion
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    QuestionFactory,
    StructureFactory,
)
from tests.candidatures.fichiers import PDF
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATE_DE_DEBUT = "Date de début souhaitée"


@pytest.fixture
def candidature():
    candidat = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    appel = AppelFactory(ouvert=True, avec_questions=True, titre="AMI inclusion numérique 2027")
    QuestionFactory(appel=appel, ordre=4, type=TypeQuestion.DATE, libelle=DATE_DE_DEBUT)
    structure = StructureFactory(nom="CCAS de Houplines", membres=[candidat])
    return CandidatureFactory(appel=appel, structure=structure)


def _connexion(page, site, email="ccas@houplines.test"):
    page.goto(site + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(site + "/tableau-de-bord/")


def _texte_du_pdf(contenu):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


def test_une_date_tapee_survit_a_l_enregistrement_a_l_envoi_automatique_et_au_fichier(
    page, live_server, candidature, verifier_accessibilite, tmp_path
):
    site = live_server.url
    _connexion(page, site)
    page.goto(site + f"/candidatures/{candidature.pk}/formulaire/")
    date = page.get_by_label(DATE_DE_DEBUT)
    date.fill("2027-04-01")

    # Le bouton « Enregistrer le brouillon » : la page revient avec la date lisible.
    page.get_by_role("button", name="Enregistrer le brouillon").first.click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    expect(date).to_have_value("2027-04-01")
    page.reload()
    expect(date).to_have_value("2027-04-01")

    # L'enregistrement automatique, déclenché par une autre réponse, renvoie la date telle quelle.
    page.get_by_label("Quels publics accueillez-vous ?").fill("Des seniors isolés.")
    page.get_by_label("Combien de personnes accompagnez-vous par an ?").fill("1 250,5")
    expect(page.locator("#statut-enregistrement")).to_contain_text(
        "Brouillon enregistré automatiquement"
    )
    page.reload()
    expect(date).to_have_value("2027-04-01")

    # Choisir un fichier envoie le formulaire entier : la date ne doit pas s'y perdre.
    page.get_by_role("group", name="Disposez-vous d'une salle équipée ?").get_by_label(
        "Oui"
    ).check()
    fichier = tmp_path / "statuts.pdf"
    fichier.write_bytes(PDF)
    page.get_by_label("Statuts ou délibération").set_input_files(str(fichier))
    expect(page.get_by_text("Fichier joint : statuts.pdf")).to_be_visible()
    # La page revient au champ du fichier, pas en haut du formulaire.
    expect(page).to_have_url(re.compile(r"/formulaire/#div_id_piece_\d+$"))
    expect(date).to_have_value("2027-04-01")
    verifier_accessibilite(page)

    # Déposée, la candidature montre la date, et son récépissé aussi.
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator("main .badge").first).to_have_text("Déposée")
    expect(page.get_by_text("1 avril 2027")).to_be_visible()
    lien = page.get_by_role("link", name="Télécharger le récépissé (PDF)")
    recepisse = _texte_du_pdf(page.request.get(site + lien.get_attribute("href")).body())
    assert re.search(rf"4\. {DATE_DE_DEBUT}\s+1 avril 2027", recepisse), recepisse
    assert re.search(r"3\. Combien de personnes accompagnez-vous par an \?\s+1250,5", recepisse)
    assert "Sans réponse" not in recepisse


def test_un_fichier_refuse_se_lit_a_cote_de_son_champ_et_le_focus_y_mene(
    page, live_server, candidature, verifier_accessibilite, tmp_path
):
    site = live_server.url
    _connexion(page, site)
    page.goto(site + f"/candidatures/{candidature.pk}/formulaire/")
    titre = page.title()
    page.get_by_label("Quels publics accueillez-vous ?").fill("Des seniors isolés.")
    page.get_by_label(DATE_DE_DEBUT).fill("2027-04-01")

    # Choisir un fichier l'envoie aussitôt ; celui-ci n'est pas d'un type accepté.
    fichier = tmp_path / "programme.txt"
    fichier.write_text("Des ateliers le mardi.")
    page.get_by_label("Statuts ou délibération").set_input_files(str(fichier))

    resume = page.locator("[data-resume-erreurs]")
    expect(resume).to_be_focused()
    expect(page).to_have_title("Erreur : " + titre)
    lien = resume.get_by_role("link", name=re.compile(r"^Statuts ou délibération : "))
    expect(lien).to_have_text(
        re.compile(r"Le fichier « programme\.txt » n'est pas d'un type accepté\.")
    )
    lien.click()
    champ = page.get_by_label("Statuts ou délibération")
    expect(champ).to_be_focused()
    expect(champ).to_have_attribute("aria-invalid", "true")
    erreur = page.locator("#" + champ.get_attribute("aria-describedby").split()[-1])
    expect(erreur).to_contain_text("Le fichier « programme.txt » n'est pas d'un type accepté.")
    # Ce qui était tapé est là.
    expect(page.get_by_label("Quels publics accueillez-vous ?")).to_have_value(
        "Des seniors isolés."
    )
    expect(page.get_by_label(DATE_DE_DEBUT)).to_have_value("2027-04-01")
    verifier_accessibilite(page)


def test_le_profil_de_structure_mal_rempli_annonce_ses_erreurs(
    page, live_server, verifier_accessibilite
):
    UtilisateurFactory(candidat=True, email="ccas@leers.test")
    site = live_server.url
    _connexion(page, site, "ccas@leers.test")
    page.goto(site + "/structures/nouvelle/")
    titre = page.title()
    page.get_by_label("Nom de la structure").fill("CCAS de Leers")
    page.get_by_label("Type de structure").select_option("ccas")
    page.get_by_label("SIRET").fill("000 000 000 00000")
    commune = page.get_by_role("combobox", name="Commune où la structure est implantée")
    commune.press_sequentially("leers")
    page.get_by_role("option").filter(has_text="Leers (59)").click()
    page.locator("#id_adresse").fill("Place de la République")
    page.get_by_label("Code postal").fill("59115")
    page.get_by_label("Nom de la personne à contacter").fill("Claire Martin")
    page.get_by_label("Adresse électronique de contact").fill("ccas@leers.test")
    page.get_by_label("Téléphone").fill("03 20 00 00 0")
    page.get_by_role("button", name="Enregistrer le profil").click()

    expect(page).to_have_title("Erreur : " + titre)
    resume = page.locator("[data-resume-erreurs]")
    expect(resume).to_be_focused()
    expect(resume.get_by_role("heading")).to_have_text("Le formulaire contient 2 erreurs")
    expect(resume.get_by_role("link")).to_have_text(
        [
            "SIRET : Ce SIRET n'existe pas : il n'est fait que de zéros.",
            "Téléphone : Ce numéro de téléphone n'est pas valide : tapez ses 10 chiffres "
            "(03 20 12 34 56), ou l'indicatif du pays pour un numéro étranger (+32 2 555 12 12).",
        ]
    )
    resume.get_by_role("link", name=re.compile("^Téléphone")).click()
    telephone = page.get_by_label("Téléphone")
    expect(telephone).to_be_focused()
    expect(telephone).to_have_value("03 20 00 00 0")
    expect(telephone).to_have_attribute("aria-invalid", "true")
    expect(telephone).to_have_accessible_description(
        re.compile(r"Ce numéro de téléphone n'est pas valide")
    )
    expect(page.get_by_label("Nom de la structure")).to_have_value("CCAS de Leers")
    verifier_accessibilite(page)
