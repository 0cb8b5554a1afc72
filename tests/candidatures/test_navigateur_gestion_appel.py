"""Le gestionnaire prépare l'édition suivante d'un appel dans Chromium : il duplique l'appel
passé, le date (champs date et heure du navigateur), choisit le périmètre par le nom des EPCI,
réordonne les questions au clavier, publie, clôt trop tôt après confirmation puis rouvre ;
axe sur chaque page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.models import Evenement
from programmes.enums import EtatAppel
from programmes.models import Appel
from tests.candidatures.factories import AppelFactory, CandidatureFactory, ProgrammeFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _saisie(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_dupliquer_dater_publier_clore_et_rouvrir(page, live_server, verifier_accessibilite):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    ancien = AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]),
        clos=True,
        avec_questions=True,
        titre="AMI inclusion numérique 2022",
        slug="ami-2022",
    )
    site = live_server.url
    page.goto(site + "/comptes/login/")
    page.get_by_label("Courriel").fill("gestion@programme.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(site + "/gestion/")

    # Dupliquer l'appel passé, puis dater la copie comme le navigateur envoie les dates.
    page.goto(site + f"/gestion/appels/{ancien.pk}/")
    page.get_by_role("button", name="Dupliquer pour la prochaine édition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "AMI inclusion numérique 2022 (copie)"
    )
    verifier_accessibilite(page)
    page.get_by_role("link", name="Modifier le texte et les dates").click()
    expect(page.get_by_label("Slug")).to_have_count(0)
    verifier_accessibilite(page)
    ouverture = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    date_limite = ouverture + datetime.timedelta(days=60)
    page.get_by_label("Titre").fill("AMI inclusion numérique 2027")
    page.get_by_label("Ouverture des dépôts").fill(_saisie(ouverture))
    page.get_by_label("Date limite de dépôt").fill(_saisie(date_limite))
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'appel est enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("AMI inclusion numérique 2027")
    page.get_by_role("link", name="Modifier le texte et les dates").click()
    expect(page.get_by_label("Ouverture des dépôts")).to_have_value(_saisie(ouverture))
    expect(page.get_by_label("Date limite de dépôt")).to_have_value(_saisie(date_limite))
    page.get_by_role("link", name="← Retour").click()

    # Le périmètre, par le nom des EPCI.
    page.get_by_role("link", name="Règles d'éligibilité").click()
    verifier_accessibilite(page)
    epci = page.get_by_label("EPCI du périmètre")
    expect(epci).to_have_values(["200093201"])
    epci.select_option(label=["Métropole Européenne de Lille", "CU d'Arras"])
    page.get_by_role("button", name="Enregistrer les règles").click()
    expect(
        page.get_by_text("Structure située dans : CU d'Arras, Métropole Européenne de Lille.")
    ).to_be_visible()
    page.get_by_role("link", name="Règles d'éligibilité").click()
    expect(page.get_by_label("EPCI du périmètre")).to_have_values(["200033579", "200093201"])
    epci.select_option(label=["Métropole Européenne de Lille"])
    page.get_by_role("button", name="Enregistrer les règles").click()

    # Réordonner les questions, au clavier.
    page.get_by_role("link", name="Questions et pièces").click()
    verifier_accessibilite(page)
    ordre = page.get_by_role("region", name="Ordre des questions").get_by_role("listitem")
    expect(ordre).to_contain_text(
        [
            "Quels publics accueillez-vous ?",
            "Disposez-vous d'une salle équipée ?",
            "Combien de personnes accompagnez-vous par an ?",
        ]
    )
    page.get_by_role(
        "button", name="Descendre la question « Quels publics accueillez-vous ? »"
    ).focus()
    page.keyboard.press("Enter")
    expect(ordre).to_contain_text(
        [
            "Disposez-vous d'une salle équipée ?",
            "Quels publics accueillez-vous ?",
            "Combien de personnes accompagnez-vous par an ?",
        ]
    )
    page.reload()
    expect(ordre.first).to_contain_text("Disposez-vous d'une salle équipée ?")
    page.get_by_role("link", name="← AMI inclusion numérique 2027").click()

    # Publier.
    page.get_by_role("button", name="Publier l'appel").click()
    expect(page.get_by_text("L'appel est publié")).to_be_visible()
    copie = Appel.objects.get(copie_de=ancien)
    assert (copie.etat, copie.slug, copie.ouverture, copie.date_limite) == (
        EtatAppel.OUVERT,
        "ami-inclusion-numerique-2027",
        ouverture,
        date_limite,
    )

    # Clore trop tôt : la confirmation compte les brouillons ; puis rouvrir.
    CandidatureFactory(appel=copie)
    page.get_by_role("link", name="Clore maintenant…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Clore « AMI inclusion numérique 2027 » maintenant ?"
    )
    expect(
        page.get_by_text("1 candidature est encore en brouillon : sa structure ne pourra plus")
    ).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Confirmer la clôture").click()
    expect(page.get_by_text("L'appel est clos")).to_be_visible()
    page.get_by_role("link", name="Rouvrir l'appel…").click()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Rouvrir l'appel").click()
    # Deux champs manquent : chacun le dit près de lui, et le résumé les liste.
    expect(page.get_by_text("Ce champ est obligatoire.", exact=True)).to_have_count(2)
    expect(page.locator(".resume-erreurs li")).to_have_count(2)
    nouvelle = date_limite + datetime.timedelta(days=7)
    page.get_by_label("Nouvelle date limite de dépôt").fill(_saisie(nouvelle))
    page.get_by_label("Motif de la réouverture").fill("Clos par erreur")
    page.get_by_role("button", name="Rouvrir l'appel").click()
    expect(page.get_by_text("L'appel est rouvert")).to_be_visible()
    copie.refresh_from_db()
    assert (copie.etat, copie.date_limite) == (EtatAppel.OUVERT, nouvelle)
    reouverture = Evenement.objects.changements_d_etat().de(copie).get(transition="rouvrir")
    assert reouverture.motif == ("Clos par erreur")
