"""Un texte saisi par une structure ne devient jamais une formule dans un export tableur : le
nom `=cmd|' /C calc'!A0` (et tout texte qui commence par +, - ou @) sort neutralisé."""

import csv
import io

import pytest
from openpyxl import load_workbook

from noyau.exports import cellule_sure
from tests.accompagnement.factories import plan_pour
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

NOMS_PIEGES = ["=cmd|' /C calc'!A0", "+33 1 23", "-2+3+cmd|' /C calc'!A0", "@SOMME(A1:A9)"]


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("CCAS de Houplines", "CCAS de Houplines"),
        ("", ""),
        (-3, -3),
        (None, None),
    ],
)
def test_cellule_sure_ne_prefixe_que_les_textes_qui_ressemblent_a_une_formule(valeur, attendu):
    assert cellule_sure(valeur) == attendu


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True)


@pytest.fixture
def appel(gestionnaire):
    appel = AppelFactory(programme=ProgrammeFactory(gestionnaires=[gestionnaire]), ouvert=True)
    for nom in NOMS_PIEGES:
        CandidatureFactory(appel=appel, structure=StructureFactory(nom=nom), deposee=True)
    return appel


@pytest.mark.django_db
def test_l_export_csv_des_candidatures_neutralise_les_formules(client, gestionnaire, appel):
    client.force_login(gestionnaire)

    reponse = client.get(f"/gestion/appels/{appel.pk}/candidatures/export.csv")

    assert reponse.status_code == 200
    texte = b"".join(reponse.streaming_content).decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    colonne = lignes[0].index("Structure")
    assert sorted(ligne[colonne] for ligne in lignes[1:]) == sorted(
        "'" + nom for nom in NOMS_PIEGES
    )


@pytest.mark.django_db
def test_l_export_xlsx_des_candidatures_neutralise_les_formules(client, gestionnaire, appel):
    client.force_login(gestionnaire)

    reponse = client.get(f"/gestion/appels/{appel.pk}/candidatures/export.xlsx")

    assert reponse.status_code == 200
    feuille = load_workbook(io.BytesIO(reponse.content)).active
    entetes = [cellule.value for cellule in feuille[1]]
    cellules = [ligne[entetes.index("Structure")] for ligne in feuille.iter_rows(min_row=2)]
    # La même valeur qu'en CSV, dans une cellule texte (type « s ») que le tableur n'évalue pas.
    assert sorted(c.value for c in cellules) == sorted("'" + nom for nom in NOMS_PIEGES)
    assert {c.data_type for c in cellules} == {"s"}


@pytest.mark.django_db
def test_le_bilan_xlsx_neutralise_les_noms_de_structure(client, gestionnaire):
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    appel = AppelFactory(programme=programme, ouvert=True)
    for nom in NOMS_PIEGES:
        plan_pour(appel=appel, structure__nom=nom)
    client.force_login(gestionnaire)

    reponse = client.get(f"/bilans/{appel.slug}/bilan.xlsx")

    assert reponse.status_code == 200
    feuille = load_workbook(io.BytesIO(reponse.content))["Par structure"]
    cellules = [ligne[0] for ligne in feuille.iter_rows(min_row=2)]
    assert sorted(c.value for c in cellules) == sorted("'" + nom for nom in NOMS_PIEGES)
    assert {c.data_type for c in cellules} == {"s"}
