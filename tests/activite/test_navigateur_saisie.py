"""Dans Chromium, au clavier : une structure saisit un atelier, ajoute une ligne de nouveau
participant, choisit la commune de résidence par son nom dans la liste proposée, et la
retrouve sur la page des bénéficiaires. Axe à chaque page."""

import pytest
from playwright.sync_api import expect

from activite.models import Beneficiaire
from tests.activite.factories import ThemeFactory
from tests.candidatures.factories import CandidatureFactory, StructureFactory, membre_de
from tests.factories import MOT_DE_PASSE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_saisie_d_un_atelier_avec_une_ligne_ajoutee_et_la_commune_par_son_nom(
    page, live_server, verifier_accessibilite
):
    structure = StructureFactory(nom="CCAS de Houplines")
    CandidatureFactory(structure=structure, retenue=True)
    membre_de(structure, email="agent@houplines.test")
    ThemeFactory(libelle="Sécurité et arnaques en ligne")

    _connexion(page, live_server, "agent@houplines.test")
    page.goto(f"{live_server.url}/activite/structures/{structure.pk}/")
    page.get_by_role("link", name="Saisir un atelier, une permanence ou un parcours").click()
    page.get_by_label("Type").select_option("atelier")
    page.get_by_label("Thème").select_option(label="Sécurité et arnaques en ligne")
    page.get_by_label("Date (début du parcours)").fill("2023-05-16")
    page.get_by_label("Durée (heures)").fill("2")

    nouveaux = page.get_by_role("table", name="Nouveaux participants")
    expect(nouveaux.get_by_role("columnheader")).to_have_text(
        ["Code", "Genre", "Année de naissance", "Commune de résidence"]
    )
    expect(nouveaux.get_by_role("row")).to_have_count(2)
    page.get_by_label("Genre du nouveau participant 1").select_option("F")
    commune = page.get_by_role("combobox", name="Commune de résidence du nouveau participant 1")
    commune.press_sequentially("houpl")
    propositions = page.get_by_role("listbox", name="Communes proposées")
    expect(propositions.get_by_role("option").first).to_contain_text("Houplines (59)")
    verifier_accessibilite(page)
    commune.press("ArrowDown")
    commune.press("Enter")
    expect(commune).to_have_value("Houplines (59)")

    page.get_by_role("button", name="Ajouter une ligne").click()

    expect(nouveaux.get_by_role("row")).to_have_count(3)
    expect(page.get_by_label("Code du nouveau participant 2")).to_be_focused()
    expect(page.get_by_label("Durée (heures)")).to_have_value("2")
    expect(page.get_by_label("Genre du nouveau participant 1")).to_have_value("F")
    expect(
        page.get_by_role("combobox", name="Commune de résidence du nouveau participant 1")
    ).to_have_value("Houplines (59)")
    expect(page.get_by_role("alert")).to_have_count(0)
    verifier_accessibilite(page)
    page.get_by_label("Code du nouveau participant 2").fill("MAISON-7")
    page.get_by_label("Genre du nouveau participant 2").select_option("H")
    # Sans choisir dans la liste : le nom seul suffit quand il ne désigne qu'une commune.
    page.get_by_label("Commune de résidence du nouveau participant 2").fill("Armentières")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier thématique")
    assert sorted(
        Beneficiaire.objects.filter(structure=structure).values_list("code", "commune__nom")
    ) == [("MAISON-7", "Armentières"), ("P0001", "Houplines")]
    page.goto(f"{live_server.url}/activite/structures/{structure.pk}/beneficiaires/")
    expect(page.get_by_role("row").filter(has_text="MAISON-7")).to_contain_text("Armentières")
    expect(page.get_by_role("combobox", name="Commune de résidence")).to_be_visible()
    verifier_accessibilite(page)
