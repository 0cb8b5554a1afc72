import json

import pytest
from django.core.management import call_command

from activite.bilan import arrondi, calculer_bilan
from tests.activite.jeu_de_donnees import construire

pytestmark = pytest.mark.django_db

# Chaque valeur calculée à la main à partir de tests/activite/jeu_de_donnees.py.
COHORTE = {
    "structures": 3,
    "referents_formes": 3,  # A : r0, r2 ; B : r0
    "actions": 7,
    "ateliers_permanences": 3,  # at1, pe1, at2
    "parcours": 4,  # po1, pt1, po2, po3
    # ordinateur : (12 + 11,5 + 13) / 3 = 12,1666… ; tablette : 15 / 1
    "parcours_heures_moyennes": {"ordinateur": 12.2, "tablette": 15.0},
    "beneficiaires": 6,  # a1 a2 a3 a4 b1 b2 (a5 n'a participé à rien)
    "beneficiaires_en_parcours": 5,  # a1 a2 a3 b1 b2
    # genres dits : a1 F, a2 F, a3 H, b1 F, b2 H (a4 NR exclu) → 3/5 et 2/5
    "femmes_pct": 60.0,
    "hommes_pct": 40.0,
    # a1 2022-1960=62, a2 2022-1950=72, a3 2022-1980=42, b1 2023-1945=78, b2 2023-2000=23
    "age_moyen": 55.4,
    # complets : a1/po1, a2/pt1, b1/po2, b2/po2 = 4 ; abandons : a2/po1, b1/po3 = 2
    "parcours_complets_pct": 66.7,
    "liste_attente": 7,  # A : 7 (le plus récent) ; B et D : rien
}
STRUCTURE_A = {
    "structure": "A — CCAS d'Alpha",
    "structures": 1,
    "referents_formes": 2,
    "actions": 4,
    "ateliers_permanences": 2,
    "parcours": 2,
    "parcours_heures_moyennes": {"ordinateur": 12.0, "tablette": 15.0},
    "beneficiaires": 4,
    "beneficiaires_en_parcours": 3,
    "femmes_pct": 66.7,  # 2/3
    "hommes_pct": 33.3,
    "age_moyen": 58.7,  # (62 + 72 + 42) / 3 = 58,666…
    "parcours_complets_pct": 66.7,  # 2 / 3 (en_cours exclu)
    "liste_attente": 7,
}
STRUCTURE_B = {
    "structure": "B — CCAS de Bêta",
    "structures": 1,
    "referents_formes": 1,
    "actions": 3,
    "ateliers_permanences": 1,
    "parcours": 2,
    # (11,5 + 13) / 2 = 12,25 : la moitié part vers le haut
    "parcours_heures_moyennes": {"ordinateur": 12.3, "tablette": None},
    "beneficiaires": 2,
    "beneficiaires_en_parcours": 2,
    "femmes_pct": 50.0,
    "hommes_pct": 50.0,
    "age_moyen": 50.5,  # (78 + 23) / 2
    "parcours_complets_pct": 66.7,
    "liste_attente": 0,
}
STRUCTURE_D = {
    "structure": "D — sans activité",
    "structures": 1,
    "referents_formes": 0,
    "actions": 0,
    "ateliers_permanences": 0,
    "parcours": 0,
    "parcours_heures_moyennes": {"ordinateur": None, "tablette": None},
    "beneficiaires": 0,
    "beneficiaires_en_parcours": 0,
    "femmes_pct": None,
    "hommes_pct": None,
    "age_moyen": None,
    "parcours_complets_pct": None,
    "liste_attente": 0,
}


def _sans_siret(lignes):
    return [{k: v for k, v in ligne.items() if k not in ("siret", "pk")} for ligne in lignes]


def test_bilan_de_la_cohorte_calcule_a_la_main():
    appel, _structures = construire()

    bilan = calculer_bilan(appel)

    assert bilan.cohorte == COHORTE
    assert _sans_siret(bilan.par_structure) == [STRUCTURE_A, STRUCTURE_B, STRUCTURE_D]


def test_bilan_graphiques_genres_tranches_d_age_et_seances_par_mois():
    appel, _structures = construire()

    bilan = calculer_bilan(appel)

    assert bilan.sommes.genres == {"F": 3, "H": 2, "X": 0, "NR": 1}
    # 62, 72, 42, 78, 23 : <30, 30-44, 45-59, 60-74, 75+
    assert bilan.sommes.tranches_age == [1, 1, 0, 2, 1]
    assert bilan.sommes.statuts_parcours == {"en_cours": 1, "complet": 4, "abandon": 2}
    assert [(mois.isoformat(), sum(types.values())) for mois, types in bilan.seances_par_mois] == [
        ("2022-12-01", 1),
        ("2023-01-01", 1),
        ("2023-02-01", 1),
        ("2023-03-01", 1),
        ("2023-05-01", 2),
        ("2023-09-01", 1),
    ]


def test_commande_bilan_en_json(capsys):
    appel, structures = construire()

    call_command("bilan", "--appel", appel.slug, "--format", "json")

    sortie = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in sortie.items() if k not in ("par_structure", "appel")} == COHORTE
    assert sortie["appel"] == "appel-du-bilan"
    assert [ligne["siret"] for ligne in sortie["par_structure"]] == [
        structures["a"].siret,
        structures["b"].siret,
        structures["d"].siret,
    ]
    assert _sans_siret(sortie["par_structure"]) == [STRUCTURE_A, STRUCTURE_B, STRUCTURE_D]


def test_commande_bilan_en_texte(capsys):
    appel, _structures = construire()

    call_command("bilan", "--appel", appel.slug)

    sortie = capsys.readouterr().out
    assert "Personnes accompagnées                           6" in sortie
    assert "Femmes (%)                                       60" in sortie
    assert "Âge moyen                                        55,4" in sortie


def test_commande_bilan_appel_inconnu():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucun appel dont l'adresse est « inconnu »"):
        call_command("bilan", "--appel", "inconnu")


@pytest.mark.parametrize(
    ("numerateur", "denominateur", "facteur", "attendu"),
    [(1, 8, 100, 12.5), (1, 3, 100, 33.3), (2, 3, 100, 66.7), (49, 4, 1, 12.3), (1, 0, 1, None)],
)
def test_arrondi_au_dixieme_la_moitie_vers_le_haut(numerateur, denominateur, facteur, attendu):
    assert arrondi(numerateur, denominateur, facteur) == attendu


def test_bilan_d_un_appel_sans_laureate_donne_des_zeros_pas_une_erreur():
    from tests.candidatures.factories import AppelFactory

    bilan = calculer_bilan(AppelFactory(ouvert=True))
    cohorte = bilan.cohorte
    assert (cohorte["structures"], cohorte["actions"], cohorte["beneficiaires"]) == (0, 0, 0)
    assert bilan.par_structure == []
