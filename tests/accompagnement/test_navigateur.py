"""Parcours dans Chromium : un coach ouvre la frise, une étape en retard, y ajoute une preuve
et la marque faite ; le formateur remplit la feuille d'émargement ; une structure y retrouve
les présences de son équipe, et seulement d'elle. axe à chaque page."""

import datetime

import pytest
from playwright.sync_api import expect

from accompagnement import services
from accompagnement.enums import EtatJalon, TypeJalon
from accompagnement.models import Emargement, Inscription, Jalon
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de, plan_pour
from tests.candidatures.fichiers import PDF
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_le_coach_documente_une_etape_en_retard_et_le_formateur_emarge(
    page, live_server, verifier_accessibilite, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    coach = UtilisateurFactory(coach=True, email="coach@exemple.test", first_name="Chloé")
    plan = plan_pour(coach=coach, structure__nom="CCAS de Houplines")
    Jalon.objects.filter(plan=plan, type=TypeJalon.LANCEMENT).update(etat=EtatJalon.FAIT)
    referent = ReferentFactory(structure=plan.structure, prenom="Amina", nom="Diallo")
    session = SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=coach,
        date=datetime.date(2022, 12, 6),
    )
    Inscription.objects.create(session=session, referent=referent)

    _connexion(page, live_server, "coach@exemple.test")
    page.get_by_role("link", name="Frise de mes plans d'accompagnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frise de l'accompagnement")
    verifier_accessibilite(page)

    page.get_by_label("Étapes affichées").select_option("en_retard")
    page.get_by_role("button", name="Filtrer").click()
    verifier_accessibilite(page)
    # Le plan a fini en 2024 : la frise compte ses étapes en retard, son plan les nomme.
    frise = page.get_by_role(
        "table", name="Nombre d'étapes de chaque structure par mois d'échéance et par état"
    )
    expect(frise.get_by_role("cell", name="1 en retard").first).to_be_visible()
    frise.get_by_role("link", name="CCAS de Houplines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Plan d'accompagnement — CCAS de Houplines"
    )
    page.get_by_role("table", name="Étapes du plan, avec échéance et état").get_by_role(
        "link", name="Diagnostic des besoins"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diagnostic des besoins")
    expect(page.get_by_text("! En retard")).to_be_visible()
    verifier_accessibilite(page)

    page.get_by_label("Note de suivi").fill("Diagnostic fait sur place avec la directrice.")
    chemin = tmp_path / "diagnostic.pdf"
    chemin.write_bytes(PDF)
    page.get_by_label("Pièces justificatives").set_input_files(str(chemin))
    page.get_by_role("button", name="Ajouter au suivi").click()
    expect(page.get_by_text("La note et les pièces sont ajoutées à l'étape.")).to_be_visible()
    expect(page.get_by_role("link", name="diagnostic.pdf")).to_be_visible()
    page.get_by_role("button", name="Marquer comme fait").click()
    expect(page.get_by_text("L'étape est faite.")).to_be_visible()
    verifier_accessibilite(page)
    assert Jalon.objects.get(plan=plan, type=TypeJalon.DIAGNOSTIC).etat == EtatJalon.FAIT

    page.goto(live_server.url + "/accompagnement/sessions/")
    verifier_accessibilite(page)
    page.get_by_role("link", name="Feuille d'émargement du 6 décembre 2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feuille d'émargement")
    page.get_by_label("Amina Diallo").check()
    page.get_by_role("button", name="Enregistrer l'émargement").click()
    expect(page.get_by_text("La feuille d'émargement est enregistrée.")).to_be_visible()
    expect(page.get_by_role("link", name="Attestation PDF de Amina Diallo")).to_be_visible()
    verifier_accessibilite(page)
    assert Emargement.objects.get(session=session, referent=referent).present is True
    assert Jalon.objects.get(plan=plan, type=TypeJalon.FORMATION_1).etat == EtatJalon.FAIT


def test_la_structure_retrouve_les_presences_de_son_equipe_sans_voir_l_autre_structure(
    page, live_server, verifier_accessibilite
):
    """Deux CCAS dans la même session : l'agente de Houplines va de son accueil à la feuille
    d'émargement et n'y trouve que ses référents, leur présence et l'attestation d'Amina."""
    formatrice = UtilisateurFactory(coach=True, email="formatrice@exemple.test")
    agente = UtilisateurFactory(candidat=True, email="ccas@houplines.test", first_name="Sonia")
    houplines = plan_pour(structure__nom="CCAS de Houplines", structure__membres=[agente])
    leers = plan_pour(appel=houplines.candidature.appel, structure__nom="CCAS de Leers")
    equipes = [
        (houplines, "Amina", "Diallo"),
        (houplines, "Bruno", "Martin"),
        (leers, "Claire", "Vandamme"),
        (leers, "David", "Wattrelot"),
    ]
    referents = [
        ReferentFactory(structure=plan.structure, prenom=prenom, nom=nom)
        for plan, prenom, nom in equipes
    ]
    session = SessionFactory(
        plans=[houplines, leers],
        formation=formation_de(houplines, TypeJalon.FORMATION_1),
        formateur=formatrice,
        date=datetime.date(2022, 12, 6),
    )
    for referent in referents:
        Inscription.objects.create(session=session, referent=referent)
    amina, _bruno, claire, _david = referents
    services.enregistrer_emargement(session, par=formatrice, presents=[amina.pk, claire.pk])

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Se connecter"
    ).click()
    page.get_by_label("Courriel").fill("ccas@houplines.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.get_by_role("link", name="Mon accompagnement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Plan d'accompagnement — CCAS de Houplines"
    )
    verifier_accessibilite(page)
    page.get_by_role("link", name="Référents et formations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Référents et formations — CCAS de Houplines"
    )
    expect(page.get_by_text("Vandamme")).to_have_count(0)
    verifier_accessibilite(page)

    page.get_by_role("link", name="Présences et attestations du 6 décembre 2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feuille d'émargement")
    feuille = page.get_by_role("table", name="Présence des référents inscrits")
    expect(feuille.get_by_role("row")).to_have_count(3)
    expect(feuille.get_by_role("checkbox", name="Amina Diallo")).to_be_checked()
    expect(feuille.get_by_role("checkbox", name="Bruno Martin")).not_to_be_checked()
    expect(feuille.get_by_role("cell", name="absent·e")).to_have_count(1)
    for trace in ("Claire", "Vandamme", "David", "Wattrelot", "CCAS de Leers"):
        expect(feuille.get_by_text(trace)).to_have_count(0)
    expect(page.get_by_text("Vandamme")).to_have_count(0)
    verifier_accessibilite(page)

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Attestation PDF de Amina Diallo").click()
    assert telechargement.value.suggested_filename == "attestation-2022-12-06-diallo.pdf"
    attestation_de_claire = page.request.get(
        live_server.url + f"/accompagnement/sessions/{session.pk}/attestations/{claire.pk}.pdf"
    )
    assert attestation_de_claire.status == 404
