"""Dans Chromium : la page du bilan et son PDF, pour un gestionnaire puis un observateur ;
l'observateur qui ouvre le bilan depuis son espace et n'y retrouve aucun petit nombre ; la
saisie d'un atelier par une structure. Axe sans violation grave."""

import pytest
from playwright.sync_api import expect

from tests.activite.factories import BeneficiaireFactory, ThemeFactory
from tests.activite.jeu_de_donnees import construire
from tests.activite.test_bilan_observateur import construire_cohorte
from tests.candidatures.factories import membre_de
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

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
    expect(page.get_by_role("table")).to_contain_text(
        "« masqué » : caché pour qu'on ne retrouve pas un « < 5 » par soustraction"
    )
    verifier_accessibilite(page)
    pdf = page.request.get(f"{live_server.url}/bilans/appel-masque/bilan.pdf")
    assert pdf.status == 200
    assert pdf.body()[:5] == b"%PDF-"


def test_saisie_d_un_atelier_apres_la_seance(page, live_server, verifier_accessibilite):
    from tests.candidatures.factories import StructureFactory

    structure = StructureFactory(nom="CCAS de Houplines")
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
