"""Dans Chromium : la page du bilan et son PDF, pour un gestionnaire puis un observateur ;
l'observateur qui ouvre le bilan depuis son espace et n'y retrouve aucun petit nombre ; le PDF
d'un grand bilan, préparé par un vrai worker pendant que l'observateur attend ; la saisie d'un
atelier par une structure. Axe sans violation grave."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from kombu import Connection
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.activite.factories import BeneficiaireFactory, ThemeFactory
from tests.activite.jeu_de_donnees import construire
from tests.activite.test_bilan_observateur import construire_cohorte
from tests.candidatures.factories import membre_de
from tests.factories import MOT_DE_PASSE, UtilisateurFactory
from tests.test_worker import _url_de_la_base_de_test

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_bilan_et_pdf_du_gestionnaire_puis_de_l_observateur(
    page, live_server, verifier_accessibilite
):
    appel, _structures = construire()
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    appel.programme.gestionnaires.add(gestionnaire)
    UtilisateurFactory(observateur=True, email="observe@exemple.test")

    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(f"{live_server.url}/bilans/")
    page.get_by_role("link", name=appel.titre).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bilan de la cohorte")
    expect(page.get_by_role("img", name="Personnes accompagnées par genre")).to_be_visible()
    expect(page.locator("dl.chiffres-bilan")).to_contain_text("55,4")
    verifier_accessibilite(page)
    pdf = page.request.get(f"{live_server.url}/bilans/{appel.slug}/bilan.pdf")
    assert pdf.status == 200
    assert pdf.body()[:5] == b"%PDF-"

    page.context.clear_cookies()
    _connexion(page, live_server, "observe@exemple.test")
    page.goto(f"{live_server.url}/bilans/{appel.slug}/")
    expect(page.locator("table.tableau-bilan")).to_contain_text("< 5")
    verifier_accessibilite(page)
    assert page.request.get(f"{live_server.url}/bilans/{appel.slug}/bilan.pdf").status == 200


def test_l_observateur_ouvre_le_bilan_depuis_son_espace_et_lit_les_masques(
    page, live_server, verifier_accessibilite
):
    """La cohorte de test_bilan_observateur.py : 2 personnes « en cours » que 136 - 100 - 34
    redonnait, 3 femmes et 3 hommes à Houplines que « 50 % » redonnait."""
    construire_cohorte()
    UtilisateurFactory(observateur=True, email="partenaire@exemple.test")

    _connexion(page, live_server, "partenaire@exemple.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    page.get_by_role("link", name="Bilans des cohortes").click()
    page.get_by_role("link", name="Appel 2022").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bilan de la cohorte — Appel 2022")
    expect(
        page.get_by_role("img", name="Participations aux parcours, par statut")
    ).to_have_accessible_name(
        "Participations aux parcours, par statut "
        "En cours : < 5 ; Parcours complet : 100 ; Abandon : masqué"
    )
    chiffres = page.get_by_role("definition")
    expect(chiffres).to_have_text(
        ["2", "8", "5", "2", "3", "12", "14,5", "142", "136", "59,9", "40,1", "63", "masqué", "80"]
    )
    armentieres = page.get_by_role("row").filter(has_text="CCAS d'Armentières")
    expect(armentieres.get_by_role("cell")).to_have_text(
        ["masqué", "3", "0", "3", "12", "14,5", "136", "136"]
        + ["masqué", "masqué", "63", "masqué", "80"]
    )
    houplines = page.get_by_role("row").filter(has_text="CCAS de Houplines")
    expect(houplines.get_by_role("cell")).to_have_text(
        ["< 5", "2", "2", "0", "—", "—", "6", "0", "masqué", "masqué", "63", "—", "0"]
    )
    expect(page.get_by_role("table", name="Chiffres par structure")).to_contain_text(
        "« masqué » : caché pour qu'on ne retrouve pas un « < 5 » par soustraction"
    )
    # Le graphique empilé : ses nombres sur les barres, et le tableau qui le double.
    actions = page.get_by_role("table", name="Actions par mois et par type, en nombres")
    expect(actions.get_by_role("columnheader")).to_have_text(
        ["Mois", "Atelier thématique", "Permanence individuelle"]
        + ["Parcours d'initiation à l'ordinateur", "Parcours d'initiation à la tablette", "Total"]
    )
    expect(actions.get_by_role("rowheader")).to_have_text(["Mars 2023", "Total"])
    expect(actions.get_by_role("cell")).to_have_text(["2", "0", "2", "1", "5"] * 2)
    expect(page.get_by_role("img", name="Actions par mois et par type")).to_have_count(0)
    expect(page.locator(".graphique-seances svg text")).to_have_text(["2", "2", "1", "5", "03/23"])
    verifier_accessibilite(page)
    pdf = page.request.get(f"{live_server.url}/bilans/appel-masque/bilan.pdf")
    assert pdf.status == 200
    assert pdf.body()[:5] == b"%PDF-"


def test_saisie_d_un_atelier_apres_la_seance(page, live_server, verifier_accessibilite):
    from tests.candidatures.factories import CandidatureFactory, StructureFactory

    structure = StructureFactory(nom="CCAS de Houplines")
    CandidatureFactory(structure=structure, retenue=True)
    membre_de(structure, email="agent@houplines.test")
    ThemeFactory(libelle="Sécurité et arnaques en ligne")
    BeneficiaireFactory(structure=structure, code="P0001")

    _connexion(page, live_server, "agent@houplines.test")
    page.goto(f"{live_server.url}/activite/structures/{structure.pk}/")
    verifier_accessibilite(page)
    page.get_by_role("link", name="Saisir un atelier, une permanence ou un parcours").click()
    verifier_accessibilite(page)
    page.get_by_label("Type").select_option("atelier")
    page.get_by_label("Thème").select_option(label="Sécurité et arnaques en ligne")
    page.get_by_label("Date (début du parcours)").fill("2023-05-16")
    page.get_by_label("Durée (heures)").fill("2")
    page.get_by_label("Participants déjà enregistrés (codes)").fill("P0001")
    page.get_by_label("Genre du nouveau participant 1").select_option("F")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier thématique")
    expect(page.get_by_role("table")).to_contain_text("P0002")
    verifier_accessibilite(page)


def test_entree_dans_un_champ_enregistre_l_action_sans_ajouter_de_ligne(page, live_server):
    """Au clavier, Entrée dans la durée enregistre l'action (le bouton par défaut du
    formulaire est « Enregistrer », pas « Ajouter une ligne »)."""
    from tests.candidatures.factories import CandidatureFactory, StructureFactory

    structure = StructureFactory(nom="CCAS de Houplines")
    CandidatureFactory(structure=structure, retenue=True)
    membre_de(structure, email="agent@houplines.test")
    ThemeFactory(libelle="Sécurité et arnaques en ligne")
    BeneficiaireFactory(structure=structure, code="P0001")

    _connexion(page, live_server, "agent@houplines.test")
    page.goto(f"{live_server.url}/activite/structures/{structure.pk}/actions/nouvelle/")
    page.get_by_label("Type").select_option("atelier")
    page.get_by_label("Thème").select_option(label="Sécurité et arnaques en ligne")
    page.get_by_label("Date (début du parcours)").fill("2023-05-16")
    page.get_by_label("Participants déjà enregistrés (codes)").fill("P0001")
    page.get_by_label("Durée (heures)").fill("2")
    page.get_by_label("Durée (heures)").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier thématique")
    expect(page.get_by_role("table")).to_contain_text("P0001")


def _worker(broker, media_root):
    """Un vrai worker Celery sur la base de test, le broker et le stockage du serveur de test."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env.update(
        DATABASE_URL=_url_de_la_base_de_test(), CELERY_BROKER_URL=broker, MEDIA_ROOT=media_root
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "aap",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_l_observateur_attend_la_preparation_du_grand_bilan_puis_telecharge_le_pdf(
    page, live_server, settings, verifier_accessibilite
):
    from aap.celery import app

    # Au-delà de 2 structures, le bilan est « grand » : c'est le worker qui met le PDF en page.
    settings.RELAIS_BILAN_PDF_SEUIL_STRUCTURES = 2
    appel, _structures = construire()
    UtilisateurFactory(observateur=True, email="observe@exemple.test")
    broker = app.conf.broker_url
    with Connection(broker) as connexion:
        connexion.default_channel.queue_purge("celery")
    worker = _worker(broker, settings.MEDIA_ROOT)
    try:
        _connexion(page, live_server, "observe@exemple.test")
        page.get_by_role("link", name="Bilans des cohortes").click()
        page.get_by_role("link", name=appel.titre).click()
        page.get_by_role("link", name="Télécharger le PDF").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(f"PDF du bilan — {appel.titre}")
        expect(page.get_by_role("status")).to_contain_text("Le PDF est en préparation…")
        verifier_accessibilite(page)
        expect(page.get_by_role("status")).to_have_text("Le PDF est prêt.", timeout=120_000)
        verifier_accessibilite(page)
        with page.expect_download() as telechargement:
            page.get_by_role("link", name="Télécharger le PDF").click()
    finally:
        worker.terminate()
        worker.wait(20)
        connection.close()

    assert telechargement.value.suggested_filename == f"bilan-{appel.slug}.pdf"
    contenu = Path(telechargement.value.path()).read_bytes()
    texte = PdfReader(io.BytesIO(contenu)).pages[0].extract_text()
    assert contenu[:5] == b"%PDF-"
    assert "Référents formés\n< 5\n" in texte
    assert "Personnes accompagnées\nmasqué\n" in texte
