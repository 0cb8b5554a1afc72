"""Dans Chromium : le gestionnaire crée une session de formation, se trompe d'horaires et lit
le refus près du champ ; la structure inscrit son référent puis le désinscrit avant la
session. Axe à chaque page."""

import pytest
from playwright.sync_api import expect

from accompagnement.models import Inscription, SessionFormation
from messagerie.models import Message
from tests.accompagnement.factories import ReferentFactory, plan_pour
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_horaires_refuses_puis_inscription_et_desinscription_d_un_referent(
    page, live_server, verifier_accessibilite
):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    membre = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    coach = UtilisateurFactory(
        coach=True, email="coach@exemple.test", first_name="Chloé", last_name="Martin"
    )
    plan = plan_pour(
        coach=coach,
        appel__programme__gestionnaires=[gestionnaire],
        structure__nom="CCAS de Houplines",
        structure__membres=[membre],
    )
    referent = ReferentFactory(structure=plan.structure, prenom="Amina", nom="Diallo")

    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(f"{live_server.url}/gestion/accompagnement/")
    page.get_by_role("link", name="Nouvelle session de formation").click()
    page.get_by_label("Formation").select_option(
        label="Découvrir l'inclusion numérique : enjeux, diagnostic et acteurs"
    )
    page.get_by_label("Date").fill("2030-01-15")
    page.get_by_label("Début").fill("17:00")
    page.get_by_label("Fin").fill("09:00")
    page.get_by_label("Lieu").fill("Maison des associations, Lille")
    page.get_by_label("Formateur ou formatrice").select_option(label="Chloé Martin")
    page.get_by_label("CCAS de Houplines").check()
    page.get_by_role("button", name="Enregistrer").click()

    erreur = "La fin (09:00) doit venir après le début (17:00)."
    # Près du champ, et dans le résumé en tête du formulaire (un lien qui y mène).
    expect(page.get_by_text(erreur, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=f"Fin : {erreur}")).to_be_visible()
    expect(page.get_by_label("Fin")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Début")).to_have_value("17:00")
    expect(page.get_by_label("Lieu")).to_have_value("Maison des associations, Lille")
    assert SessionFormation.objects.count() == 0
    verifier_accessibilite(page)
    page.get_by_label("Début").fill("09:00")
    page.get_by_label("Fin").fill("17:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La session est créée")).to_be_visible()

    page.context.clear_cookies()
    _connexion(page, live_server, "ccas@houplines.test")
    page.goto(f"{live_server.url}/accompagnement/plans/{plan.pk}/referents/")
    page.get_by_role("button", name="Inscrire Amina Diallo le 15 janvier").click()
    expect(page.get_by_text("Amina Diallo est inscrit·e")).to_be_visible()
    assert Inscription.objects.count() == 1
    verifier_accessibilite(page)
    page.get_by_role("button", name="Désinscrire Amina Diallo le 15 janvier").click()

    expect(
        page.get_by_text("Amina Diallo est désinscrit·e de la session du 15 janvier 2030.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Inscrire Amina Diallo le 15 janvier")).to_be_visible()
    assert Inscription.objects.count() == 0
    # La convocation puis son annulation, au référent, dans la boîte d'envoi.
    assert list(
        Message.objects.filter(destinataire=referent.email)
        .order_by("pk")
        .values_list("type", flat=True)
    ) == ["accompagnement_convocation", "accompagnement_desinscription"]
    verifier_accessibilite(page)
