"""Le parcours d'une structure de Houplines dans Chromium, de l'inscription au nouveau dépôt
après une demande de complément du gestionnaire ; axe sur chaque page."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from candidatures.models import Candidature
from journal.models import Evenement
from messagerie.models import Message
from tests.candidatures.factories import AppelFactory, ProgrammeFactory, siret_valide
from tests.candidatures.fichiers import PDF
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE_CANDIDAT = "Ateliers-numeriques-2026"


@pytest.fixture
def appel_ouvert():
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    appel = AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]),
        ouvert=True,
        avec_questions=True,
        titre="AMI inclusion numérique 2027",
        slug="ami-2027",
    )
    return appel


def _chemin(url):
    return urlparse(url).path


def test_candidater_deposer_completer_et_redeposer(
    page, browser, live_server, appel_ouvert, verifier_accessibilite, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 720})  # un petit portable
    site = live_server.url

    # Inscription et confirmation de l'adresse (le lien vient de la boîte d'envoi).
    page.goto(site + "/comptes/signup/")
    verifier_accessibilite(page)
    page.locator("input[name=email]").fill("ccas@houplines.test")
    page.locator("input[name=password1]").fill(MOT_DE_PASSE_CANDIDAT)
    page.locator("input[name=password2]").fill(MOT_DE_PASSE_CANDIDAT)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/comptes/confirm-email/$"))
    message = Message.objects.get(destinataire="ccas@houplines.test")
    lien = re.search(r"https?://\S+/comptes/confirm-email/\S+/", message.corps_texte).group(0)
    page.goto(site + _chemin(lien))
    page.locator("main form button[type=submit]").click()

    # « Mon espace » mène au profil de la structure.
    expect(page).to_have_url(site + "/tableau-de-bord/")
    verifier_accessibilite(page)
    page.get_by_role("link", name="Créer le profil de ma structure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le profil de votre structure")
    verifier_accessibilite(page)
    page.get_by_label("Nom de la structure").fill("CCAS de Houplines")
    page.get_by_label("Type de structure").select_option("ccas")
    page.get_by_label("SIRET").fill("123 456 789 00012")
    commune = page.get_by_role("combobox", name="Commune où la structure est implantée")
    commune.press_sequentially("houpl")
    page.get_by_role("option").filter(has_text="Houplines (59)").click()
    page.locator("#id_adresse").fill("1 place de la Mairie")
    page.get_by_label("Code postal").fill("59116")
    page.get_by_label("Nom de la personne à contacter").fill("Claire Martin")
    page.get_by_label("Adresse électronique de contact").fill("ccas@houplines.test")
    page.get_by_label("Téléphone").fill("03 20 00 00 00")
    page.get_by_role("button", name="Enregistrer le profil").click()
    resume = page.locator("[data-resume-erreurs]")
    expect(resume).to_be_focused()
    expect(
        resume.get_by_role("link", name=re.compile("^SIRET : Ce SIRET n'existe pas"))
    ).to_be_visible()
    expect(page.get_by_label("Nom de la structure")).to_have_value("CCAS de Houplines")
    verifier_accessibilite(page)
    page.get_by_label("SIRET").fill(siret_valide(59317))
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Le profil de CCAS de Houplines est créé.")).to_be_visible()

    # L'appel, l'éligibilité de la structure, puis le formulaire (première visite).
    page.get_by_role("link", name="AMI inclusion numérique 2027").click()
    expect(page.get_by_text("Houplines (59317) : aucun QPV (liste 2024)")).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Candidater pour CCAS de Houplines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AMI inclusion numérique 2027")
    panneau = page.locator("#panneau-completude")
    expect(panneau).to_contain_text("Ce qui manque (3)")
    verifier_accessibilite(page)
    page.get_by_label("Quels publics accueillez-vous ?").fill("Des seniors isolés.")
    expect(page.locator("#statut-enregistrement")).to_contain_text(
        "Brouillon enregistré automatiquement"
    )
    expect(panneau).to_contain_text("Ce qui manque (2)")
    page.get_by_role("link", name="Mon espace").click()

    # Seconde visite : la saisie est là ; le panneau mène aux champs qui manquent.
    page.get_by_role("link", name="AMI inclusion numérique 2027").first.click()
    page.get_by_role("link", name="Continuer ma candidature").click()
    expect(page.get_by_label("Quels publics accueillez-vous ?")).to_have_value(
        "Des seniors isolés."
    )
    panneau.get_by_role("link", name="Question 2 : Disposez-vous d'une salle équipée ?").click()
    expect(page).to_have_url(re.compile(r"#div_id_q_\d+$"))
    page.get_by_role("group", name="Disposez-vous d'une salle équipée ?").get_by_label(
        "Oui"
    ).check()
    fichier = tmp_path / "statuts.pdf"
    fichier.write_bytes(PDF)
    page.get_by_label("Statuts ou délibération").set_input_files(str(fichier))
    expect(page.get_by_text("Fichier joint : statuts.pdf")).to_be_visible()
    expect(panneau).to_contain_text("Rien ne manque")
    verifier_accessibilite(page)

    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.locator("main .badge").first).to_have_text("Déposée")
    verifier_accessibilite(page)
    recepisse = page.get_by_role("link", name="Télécharger le récépissé (PDF)")
    reponse = page.request.get(site + recepisse.get_attribute("href"))
    assert reponse.headers["content-type"] == "application/pdf"
    assert reponse.body()[:5] == b"%PDF-"
    candidature = Candidature.objects.get()
    assert candidature.etat == "deposee"

    # Le gestionnaire demande un complément.
    contexte = browser.new_context()
    gestion = contexte.new_page()
    gestion.goto(site + "/comptes/login/")
    gestion.get_by_label("Courriel").fill("gestion@programme.test")
    gestion.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    gestion.get_by_role("button", name="Connexion").click()
    gestion.goto(site + f"/gestion/appels/{appel_ouvert.pk}/candidatures/")
    verifier_accessibilite(gestion)
    gestion.get_by_role("link", name="CCAS de Houplines").click()
    expect(gestion.get_by_text("Houplines (59317) : 7\u00a0921 habitants")).to_be_visible()
    verifier_accessibilite(gestion)
    gestion.get_by_label("Ce que la structure doit compléter").fill(
        "Joignez la délibération signée."
    )
    gestion.get_by_role("button", name="Envoyer la demande").click()
    expect(gestion.get_by_text("La demande de complément est envoyée")).to_be_visible()
    contexte.close()

    # La structure lit la demande et dépose à nouveau.
    page.reload()
    expect(page.get_by_text("Joignez la délibération signée.").first).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_role("link", name="Compléter et déposer à nouveau").click()
    page.get_by_role("button", name="Déposer à nouveau la candidature").click()
    expect(page.locator("main .badge").first).to_have_text("Déposée")
    candidature.refresh_from_db()
    assert candidature.etat == "deposee"
    assert [log.transition for log in candidature_logs(candidature)] == [
        "deposer",
        "demander_complement",
        "redeposer",
    ]


def candidature_logs(candidature):
    return Evenement.objects.changements_d_etat().de(candidature).order_by("survenu_le", "pk")


def test_le_gestionnaire_prepare_publie_et_duplique_un_appel(
    page, live_server, verifier_accessibilite
):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    ProgrammeFactory(nom="Inclusion numérique MEL", gestionnaires=[gestionnaire])
    site = live_server.url
    page.goto(site + "/comptes/login/")
    page.get_by_label("Courriel").fill("gestion@programme.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="Voir les appels").click()
    verifier_accessibilite(page)

    page.get_by_role("link", name="Nouvel appel pour Inclusion numérique MEL").click()
    verifier_accessibilite(page)
    page.get_by_label("Titre").fill("AMI 2028")
    page.get_by_label("Description").fill("## Objectifs\n\nDes ateliers **réguliers**.")
    page.get_by_label("Ouverture des dépôts").fill("2027-01-04T09:00")
    page.get_by_label("Date limite de dépôt").fill("2099-03-31T12:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'appel est créé en brouillon.")).to_be_visible()
    expect(page.get_by_text("L'appel n'a encore aucune question.")).to_be_visible()
    verifier_accessibilite(page)

    page.get_by_role("link", name="Questions et pièces").click()
    verifier_accessibilite(page)
    page.locator("#id_questions-0-libelle").fill("Décrivez votre projet")
    page.locator("#id_questions-0-type").select_option("texte_long")
    page.locator("#id_questions-0-limite_caracteres").fill("2000")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Les questions et les pièces demandées sont enregistrées.")
    ).to_be_visible()
    page.get_by_role("link", name="← AMI 2028").click()

    page.get_by_role("link", name="Règles d'éligibilité").click()
    verifier_accessibilite(page)
    page.get_by_label("EPCI du périmètre").select_option(label="Métropole Européenne de Lille")
    page.get_by_role("button", name="Enregistrer les règles").click()
    expect(page.get_by_text("Les règles d'éligibilité sont enregistrées.")).to_be_visible()

    page.get_by_role("button", name="Publier l'appel").click()
    expect(page.get_by_text("L'appel est publié")).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("Ouvert")
    verifier_accessibilite(page)

    page.get_by_role("button", name="Dupliquer pour la prochaine édition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AMI 2028 (copie)")
    expect(page.get_by_text("Décrivez votre projet")).to_be_visible()

    page.goto(site + "/appels/ami-2028/")
    expect(page.get_by_role("heading", level=3, name="Objectifs")).to_be_visible()
    verifier_accessibilite(page)
