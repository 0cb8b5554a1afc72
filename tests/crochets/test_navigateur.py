"""Parcours dans Chromium : la gestionnaire ouvre les webhooks de son programme depuis
l'accompagnement, en ajoute un vers un récepteur local, envoie un test et voit la livraison
« Réussie » dans le journal ; le récepteur a reçu un ping signé. axe à chaque page."""

import hashlib
import hmac
import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from crochets.models import Abonnement
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory
from tests.taches import taches_celery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_la_gestionnaire_ajoute_un_webhook_et_le_teste(
    page, live_server, verifier_accessibilite, recepteur, settings
):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    programme = ProgrammeFactory(gestionnaires=[gestionnaire], nom="Inclusion numérique MEL")

    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill("gestion@exemple.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    page.goto(live_server.url + reverse("accompagnement:gestion_accueil"))
    page.get_by_role(
        "link", name="Webhooks du programme (envois signés vers un partenaire)"
    ).click()
    expect(page.get_by_role("heading", name="Webhooks — Inclusion numérique MEL")).to_be_visible()
    expect(page.get_by_text("Aucun webhook pour l'instant.")).to_be_visible()
    verifier_accessibilite(page)

    page.get_by_label("Adresse du webhook").fill(recepteur.url)
    page.get_by_label("Plan d'accompagnement clos").check()
    page.get_by_label("Candidature déposée").check()
    page.get_by_role("button", name="Ajouter le webhook").click()
    expect(page.get_by_text("Le webhook est ajouté.")).to_be_visible()
    abonnement = Abonnement.objects.get(programme=programme)
    expect(page.get_by_label("Secret", exact=True)).to_have_value(abonnement.secret)
    expect(page.get_by_text("Aucune livraison pour l'instant.")).to_be_visible()
    verifier_accessibilite(page)

    with taches_celery(settings, immediates=True):
        page.get_by_role("button", name="Envoyer un test").click()
        expect(page.get_by_text("Le test (ping) part dans un instant")).to_be_visible()
    journal = page.get_by_role("table", name="1 livraison")
    expect(journal.get_by_role("cell", name="Test (ping)")).to_be_visible()
    expect(journal.get_by_role("cell", name="Réussie")).to_be_visible()
    expect(journal.get_by_role("cell", name="200", exact=True)).to_be_visible()
    verifier_accessibilite(page)

    assert len(recepteur.requetes) == 1
    requete = recepteur.requetes[0]
    assert json.loads(requete.corps)["evenement"] == "ping"
    morceaux = dict(p.split("=", 1) for p in requete.entetes["X-Relais-Signature"].split(","))
    attendue = hmac.new(
        abonnement.secret.encode(), morceaux["t"].encode() + b"." + requete.corps, hashlib.sha256
    ).hexdigest()
    assert morceaux["v1"] == attendue
