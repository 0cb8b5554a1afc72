"""Une coach, du plan d'accompagnement d'une structure (une étape suivie et faite) à
l'attestation de présence d'une de ses référentes, par les pages seulement ; connexion par le
formulaire, axe sur chaque page (aucune violation)."""

import datetime

import pytest
from playwright.sync_api import expect

from accompagnement.enums import EtatJalon, TypeJalon
from accompagnement.models import Emargement, Inscription, Jalon
from tests.accompagnement.factories import (
    ReferentFactory,
    SessionFactory,
    formation_de,
    plan_pour,
)
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_du_plan_a_l_attestation(page, live_server, axe, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    coach = UtilisateurFactory(coach=True, email="chloe@coach.test", first_name="Chloé")
    plan = plan_pour(coach=coach, structure__nom="CCAS de Houplines")
    session = SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=coach,
        date=datetime.date(2022, 12, 6),
    )
    amina = ReferentFactory(structure=plan.structure, prenom="Amina", nom="Diallo")
    Inscription.objects.create(session=session, referent=amina)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Courriel").fill("chloe@coach.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe(page)

    # La frise, le plan de Houplines, son lancement fait.
    page.get_by_role("link", name="Frise de mes plans d'accompagnement").click()
    axe(page)
    page.get_by_role(
        "table", name="Nombre d'étapes de chaque structure par mois d'échéance et par état"
    ).get_by_role("link", name="CCAS de Houplines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Plan d'accompagnement — CCAS de Houplines"
    )
    axe(page)
    lancement = Jalon.objects.get(plan=plan, type=TypeJalon.LANCEMENT)
    page.get_by_role("table", name="Étapes du plan, avec échéance et état").get_by_role(
        "link", name=lancement.libelle
    ).click()
    axe(page)
    page.get_by_label("Note de suivi").fill("Réunion de lancement avec la directrice du CCAS.")
    page.get_by_role("button", name="Ajouter au suivi").click()
    expect(page.get_by_text("La note et les pièces sont ajoutées à l'étape.")).to_be_visible()
    page.get_by_role("button", name="Marquer comme fait").click()
    expect(page.get_by_text("L'étape est faite.")).to_be_visible()
    axe(page)

    # L'équipe de la structure et ses inscriptions (la structure les gère elle-même).
    page.get_by_role("link", name="← Plan de CCAS de Houplines").click()
    page.get_by_role("link", name="Référents et formations").click()
    expect(page.get_by_text("Amina Diallo : inscrit·e")).to_be_visible()
    axe(page)

    # La feuille d'émargement de la session, puis l'attestation de présence.
    page.get_by_role("link", name="Mon espace", exact=True).click()
    page.get_by_role("link", name="Sessions de formation").click()
    axe(page)
    page.get_by_role("link", name="Feuille d'émargement du 6 décembre 2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feuille d'émargement")
    axe(page)
    page.get_by_label("Amina Diallo").check()
    page.get_by_role("button", name="Enregistrer l'émargement").click()
    expect(page.get_by_text("La feuille d'émargement est enregistrée.")).to_be_visible()
    axe(page)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Attestation PDF de Amina Diallo").click()
    assert telechargement.value.suggested_filename == "attestation-2022-12-06-diallo.pdf"
    with open(telechargement.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    assert Emargement.objects.get(session=session).present is True
    assert Jalon.objects.get(plan=plan, type=TypeJalon.LANCEMENT).etat == EtatJalon.FAIT
    axe.aucune_violation()
