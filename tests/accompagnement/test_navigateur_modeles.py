"""Dans Chromium : depuis l'espace de gestion, la gestionnaire réécrit la convocation de son
programme avec un champ, en voit l'aperçu rendu avec la dernière inscription, l'enregistre ;
puis un texte dangereux est refusé près du champ, sa saisie gardée. Axe à chaque page."""

import datetime

import pytest
from playwright.sync_api import expect

from accompagnement.enums import TypeJalon
from messagerie.models import ModeleCourriel
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de, plan_pour
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_la_gestionnaire_reecrit_la_convocation_puis_un_texte_dangereux_est_refuse(
    page, live_server, verifier_accessibilite
):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    plan = plan_pour(
        appel__programme__gestionnaires=[gestionnaire],
        appel__programme__nom="Numérique en Flandre",
        structure__nom="CCAS de Houplines",
    )
    session = SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        date=datetime.date(2030, 1, 15),
        lieu="Médiathèque de Houplines",
    )
    referent = ReferentFactory(structure=plan.structure, prenom="Amina", nom="Diallo")
    session.inscriptions.create(referent=referent)

    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(f"{live_server.url}/gestion/")
    page.get_by_role("link", name="Suivre l'accompagnement").click()
    page.get_by_role("link", name="Modèles du programme (courriels, lettres, attestations)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Modèles du programme — Numérique en Flandre"
    )
    verifier_accessibilite(page)
    page.get_by_role("link", name="Convocation à une formation").click()
    expect(page.get_by_role("cell", name="Prénom du référent")).to_be_visible()
    verifier_accessibilite(page)

    page.get_by_label("Sujet").fill("Convocation de {{ prenom }} : {{ lieu }}")
    page.get_by_label("Texte du courriel").fill("Bonjour {{ prenom }} {{ nom|upper }}.")
    page.get_by_role("button", name="Aperçu").click()
    apercu = page.locator("#apercu")
    expect(apercu).to_contain_text("Convocation de Amina : Médiathèque de Houplines")
    expect(apercu).to_contain_text("Bonjour Amina DIALLO.")
    assert ModeleCourriel.objects.count() == 0
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le modèle est enregistré")).to_be_visible()
    version = ModeleCourriel.objects.get()
    assert (version.sujet, version.corps) == (
        "Convocation de {{ prenom }} : {{ lieu }}",
        "Bonjour {{ prenom }} {{ nom|upper }}.",
    )

    page.get_by_label("Texte du courriel").fill("{{ x.__class__ }}")
    page.get_by_role("button", name="Enregistrer").click()
    erreur = "Le modèle ne peut lire que les champs proposés, sans « . » ni « [ ] »."
    expect(page.get_by_text(erreur, exact=True)).to_be_visible()
    expect(page.get_by_label("Texte du courriel")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Texte du courriel")).to_have_value("{{ x.__class__ }}")
    verifier_accessibilite(page)
    assert ModeleCourriel.objects.get().corps == "Bonjour {{ prenom }} {{ nom|upper }}."
