"""Une structure lauréate saisit un atelier, puis importe son activité d'un classeur XLSX, par
les pages seulement ; connexion par le formulaire, axe sur chaque page (aucune violation)."""

import datetime

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from activite.models import Action, Beneficiaire, ListeAttente, Participation
from tests.accompagnement.factories import plan_pour
from tests.activite.factories import ThemeFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FEUILLES = {
    "beneficiaires": [
        ["code", "genre", "annee_naissance", "commune_insee"],
        ["P101", "F", 1958, "59317"],
        ["P102", "H", "", ""],
    ],
    "actions": [
        ["ref", "type", "theme", "date_debut", "date_fin", "duree_heures"],
        ["AT1", "atelier", "Accès aux droits", datetime.datetime(2023, 2, 7), "", 2],
        ["PO1", "parcours_ordinateur", "", "2023-03-01", "12/04/2023", 12.0],
    ],
    "participations": [
        ["action_ref", "beneficiaire_code", "statut"],
        ["AT1", "P101", "present"],
        ["AT1", "P102", "present"],
        ["PO1", "P101", "complet"],
    ],
    "liste_attente": [["date", "nombre"], ["2023-06-01", "20"]],
}


def _classeur(chemin):
    classeur = Workbook()
    classeur.remove(classeur.active)
    for nom, lignes in FEUILLES.items():
        feuille = classeur.create_sheet(nom)
        for ligne in lignes:
            feuille.append(ligne)
    classeur.save(chemin)
    return chemin


def test_saisir_puis_importer_l_activite(page, live_server, axe, tmp_path):
    for libelle in ("Accès aux droits", "Sécurité et arnaques en ligne"):
        ThemeFactory(libelle=libelle)
    agente = UtilisateurFactory(candidat=True, email="sonia@houplines.test", first_name="Sonia")
    plan = plan_pour(structure__nom="CCAS de Houplines", structure__membres=[agente])
    structure = plan.structure

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Courriel").fill("sonia@houplines.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe(page)
    page.get_by_role("link", name="Activité : ateliers, permanences et parcours").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activité des structures")
    page.get_by_role("link", name="CCAS de Houplines").click()
    axe(page)

    # Un atelier saisi après la séance.
    page.get_by_role("link", name="Saisir un atelier, une permanence ou un parcours").click()
    axe(page)
    page.get_by_label("Type").select_option("atelier")
    page.get_by_label("Thème").select_option(label="Sécurité et arnaques en ligne")
    page.get_by_label("Date (début du parcours)").fill("2023-05-16")
    page.get_by_label("Durée (heures)").fill("2")
    page.get_by_label("Genre du nouveau participant 1").select_option("F")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier thématique")
    axe(page)

    # Le reste de l'activité, importé d'un classeur.
    page.goto(live_server.url + f"/activite/structures/{structure.pk}/")
    page.get_by_role("link", name="Importer un tableur").click()
    axe(page)
    page.get_by_label("Classeur XLSX, ou fichiers CSV").set_input_files(
        str(_classeur(tmp_path / "activite-2023.xlsx"))
    )
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Import terminé. 2 bénéficiaire(s), 2 action(s), 3 participation(s), 1 liste(s) d'attente."
    )
    axe(page)
    page.get_by_role("link", name="Voir l'activité").click()
    axe(page)

    assert sorted(Action.objects.filter(structure=structure).values_list("type", flat=True)) == [
        "atelier",
        "atelier",
        "parcours_ordinateur",
    ]
    assert Beneficiaire.objects.filter(structure=structure).count() == 3
    assert Participation.objects.filter(action__structure=structure).count() == 4
    assert list(ListeAttente.objects.filter(structure=structure).values_list("nombre")) == [(20,)]
    axe.aucune_violation()
