"""La gestionnaire écrit aux candidatures déposées d'un appel, dans Chromium : depuis l'espace
de gestion, la liste filtrée, « Écrire à ces destinataires », un aperçu pour une structure,
l'envoi, puis la page de l'envoi qui dit qu'il est fait ; axe sur chaque page."""

import pytest
from playwright.sync_api import expect

from messagerie.models import Message
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import MOT_DE_PASSE, UtilisateurFactory
from tests.taches import taches_celery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ecrire_aux_candidatures_deposees(page, live_server, settings, verifier_accessibilite):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    appel = AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]), ouvert=True, titre="AMI 2027"
    )
    for nom, email in (
        ("CCAS de Leers", "leers@ccas.test"),
        ("CCAS de Seclin", "seclin@ccas.test"),
    ):
        structure = StructureFactory(
            nom=nom, membres=[UtilisateurFactory(candidat=True, email=email)]
        )
        CandidatureFactory(appel=appel, structure=structure, deposee=True)
    brouillon = StructureFactory(
        nom="CCAS de Wattrelos", membres=[UtilisateurFactory(candidat=True, email="w@ccas.test")]
    )
    CandidatureFactory(appel=appel, structure=brouillon)
    site = live_server.url

    page.goto(site + "/comptes/login/")
    page.get_by_label("Courriel").fill("gestion@programme.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(site + "/gestion/")

    page.get_by_role("link", name="Voir les appels").click()
    page.get_by_role("link", name="AMI 2027", exact=True).click()
    page.get_by_role("link", name="Candidatures", exact=True).click()
    page.get_by_label("État").select_option(label="Déposée")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("2 candidatures", exact=True)).to_be_visible()
    page.get_by_role("link", name="Écrire à ces destinataires").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Écrire à ces destinataires")
    expect(page.get_by_text("2 candidatures de l'appel AMI 2027, état : Déposée")).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_label("Objet").fill("Votre candidature : {{ structure }}")
    page.get_by_label("Message").fill("Bonjour,\nMerci à l'équipe de {{ structure }}.")
    page.get_by_role("button", name="Voir l'aperçu").click()

    apercu = page.get_by_role("region", name="Aperçu")
    expect(apercu).to_contain_text("Merci à l'équipe de CCAS de")
    verifier_accessibilite(page)
    page.get_by_label("Aperçu pour").select_option(label="seclin@ccas.test (CCAS de Seclin)")
    page.get_by_role("button", name="Voir l'aperçu pour ce destinataire").click()
    expect(page.get_by_role("region", name="Aperçu")).to_contain_text(
        "Merci à l'équipe de CCAS de Seclin."
    )
    expect(page.get_by_label("Message")).to_have_value(
        "Bonjour,\nMerci à l'équipe de {{ structure }}."
    )

    with taches_celery(settings, immediates=True):
        page.get_by_role("button", name="Envoyer à 2 destinataires").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Envoi groupé")
        page.reload()
    expect(page.get_by_text("Destinataires traités : 2 sur 2.")).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    verifier_accessibilite(page)
    assert sorted(
        Message.objects.filter(type="envoi_groupe").values_list("destinataire", "sujet")
    ) == [
        ("leers@ccas.test", "Votre candidature : CCAS de Leers"),
        ("seclin@ccas.test", "Votre candidature : CCAS de Seclin"),
    ]


def test_la_progression_se_met_a_jour_sans_recharger_la_page(
    page, live_server, verifier_accessibilite
):
    from messagerie import envois
    from messagerie.models import EnvoiGroupe

    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    envoi = EnvoiGroupe.objects.create(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]),
        audience="candidatures",
        description="2 candidatures de l'appel AMI 2027",
        sujet="Visite",
        corps="Bonjour {{ prenom }}",
        cree_par=gestionnaire,
        destinataires=[
            {"email": "leers@ccas.test", "utilisateur": None, "valeurs": {"prenom": "Léa"}},
            {"email": "seclin@ccas.test", "utilisateur": None, "valeurs": {"prenom": "Sam"}},
        ],
        total=2,
    )
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill("gestion@programme.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    page.goto(f"{live_server.url}/gestion/messages/envois/{envoi.pk}/")
    expect(page.get_by_text("Destinataires traités : 0 sur 2.")).to_be_visible()
    # Pas de <meta http-equiv="refresh"> (WCAG 2.2.1) : un script relit la page, et sans lui
    # un lien l'actualise.
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    expect(page.get_by_role("link", name="Actualiser")).to_be_visible()
    verifier_accessibilite(page)
    page.evaluate("window.marqueur = 'même page'")

    envois.preparer_les_messages(envoi.pk)

    expect(page.get_by_text("Destinataires traités : 2 sur 2.")).to_be_visible(timeout=10_000)
    expect(page.locator("#etat-envoi")).to_contain_text("Terminé")
    expect(page.get_by_role("link", name="Actualiser")).to_have_count(0)
    assert page.evaluate("window.marqueur") == "même page"
    verifier_accessibilite(page)
