import json
from types import SimpleNamespace

import pytest

from territoires.eligibilite import (
    CommuneInconnue,
    ReglesEligibilite,
    evaluer_eligibilite,
)
from territoires.enums import ResultatEligibilite
from territoires.models import Epci
from territoires.selectors import communes_de_l_epci

pytestmark = pytest.mark.django_db

ELIGIBLE = ResultatEligibilite.ELIGIBLE
NON_ELIGIBLE = ResultatEligibilite.NON_ELIGIBLE
A_EXAMINER = ResultatEligibilite.A_EXAMINER
MEL = "200093201"


def test_houplines_eligible_et_sa_reponse_complete():
    reponse = evaluer_eligibilite("59317")

    assert reponse.resultat == ELIGIBLE
    assert reponse.en_dict() == {
        "code": "59317",
        "commune": "Houplines",
        "insee_code": "59317",
        "department": "59",
        "epci": {"siren": MEL, "name": "Métropole Européenne de Lille"},
        "mapped_from": None,
        "population": 7921,
        "population_year": 2023,
        "population_type": "municipale",
        "qpv_list": "QPV2024",
        "qpv_list_year": 2024,
        "qpv": [],
        "structure_type": None,
        "rules": {
            "perimetre_epci": [],
            "perimetre_departements": [],
            "seuil_population": 21000,
            "type_population": "municipale",
            "version_qpv": "",
            "qpv_intercommunal": "ineligible",
            "types_structure": [],
        },
        "result": "eligible",
        "reasons": [
            "Houplines (59317) : 7\u00a0921 habitants (INSEE 2023) < 21\u00a0000",
            "Houplines (59317) : aucun QPV (liste 2024)",
        ],
        "summary": (
            "Houplines (59317) : 7\u00a0921 habitants (INSEE 2023) < 21\u00a0000 ; "
            "aucun QPV (liste 2024) : éligible"
        ),
    }


def test_la_reponse_est_du_json_autonome():
    reponse = evaluer_eligibilite("59220").en_dict()
    assert json.loads(json.dumps(reponse)) == reponse


def test_leers_eligible():
    reponse = evaluer_eligibilite("59339")
    assert (reponse.resultat, reponse.raisons) == (
        ELIGIBLE,
        [
            "Leers (59339) : 9\u00a0521 habitants (INSEE 2023) < 21\u00a0000",
            "Leers (59339) : aucun QPV (liste 2024)",
        ],
    )


def test_haubourdin_non_eligible_par_le_qpv_le_parc_de_la_liste_2024():
    reponse = evaluer_eligibilite("59286")
    assert reponse.resultat == NON_ELIGIBLE
    assert reponse.faits["qpv"] == [
        {
            "code": "QN05991N",
            "name": "Le Parc",
            "communes": ["59286"],
            "commune_names": {"59286": "Haubourdin"},
            "intercommunal": False,
        }
    ]
    assert reponse.raisons == [
        "Haubourdin (59286) : 15\u00a0074 habitants (INSEE 2023) < 21\u00a0000",
        "Haubourdin (59286) : QPV QN05991N « Le Parc » (liste 2024)",
    ]


SECTEUR_SUD = {
    "code": "QN05972M",
    "name": "Secteur Sud",
    "communes": ["59220", "59346", "59350", "59360"],
    "commune_names": {
        "59220": "Faches-Thumesnil",
        "59346": "Lezennes",
        "59350": "Lille",
        "59360": "Loos",
    },
    "intercommunal": True,
}


def test_faches_thumesnil_non_eligible_par_defaut_a_cause_du_qpv_intercommunal():
    reponse = evaluer_eligibilite("59220")
    assert reponse.resultat == NON_ELIGIBLE
    assert reponse.faits["qpv"] == [SECTEUR_SUD]
    assert reponse.raisons[1] == (
        "Faches-Thumesnil (59220) : QPV intercommunal QN05972M « Secteur Sud » (liste 2024), "
        "partagé avec Lezennes (59346), Lille (59350), Loos (59360)"
    )


def test_faches_thumesnil_a_examiner_quand_l_appel_fait_examiner_les_qpv_intercommunaux():
    reponse = evaluer_eligibilite("59220", ReglesEligibilite(qpv_intercommunal="a_examiner"))
    assert reponse.resultat == A_EXAMINER
    assert reponse.faits["qpv"] == [SECTEUR_SUD]
    assert reponse.raisons[1] == (
        "Faches-Thumesnil (59220) : QPV intercommunal QN05972M « Secteur Sud » (liste 2024), "
        "partagé avec Lezennes (59346), Lille (59350), Loos (59360), "
        "à examiner par un gestionnaire"
    )


def test_un_qpv_propre_a_la_commune_l_emporte_sur_l_examen_des_intercommunaux():
    # Lille a ses propres QPV en plus de deux QPV intercommunaux.
    reponse = evaluer_eligibilite("59350", ReglesEligibilite(qpv_intercommunal="a_examiner"))
    assert reponse.resultat == NON_ELIGIBLE


def test_lille_non_eligible_par_sa_population_et_par_ses_qpv():
    reponse = evaluer_eligibilite("59350")
    assert reponse.resultat == NON_ELIGIBLE
    assert reponse.raisons[0] == (
        "Lille (59350) : 238\u00a0246 habitants (INSEE 2023) ≥ 21\u00a0000, au-dessus du seuil"
    )
    assert [qpv["code"] for qpv in reponse.faits["qpv"]] == [
        "QN05971M",
        "QN05972M",
        "QN05973M",
        "QN05974M",
        "QN05978M",
    ]
    assert reponse.raisons[1].startswith(
        "Lille (59350) : QPV QN05971M « Secteur Ouest », QN05973M « Secteur Nord Est », "
        "QN05974M « Secteur Nord » (liste 2024) ; QPV intercommunal QN05972M"
    )


@pytest.mark.parametrize(
    "seuil, resultat, raison",
    [
        (7921, NON_ELIGIBLE, "7\u00a0921 habitants (INSEE 2023) ≥ 7\u00a0921, au-dessus du seuil"),
        (7922, ELIGIBLE, "7\u00a0921 habitants (INSEE 2023) < 7\u00a0922"),
    ],
)
def test_une_population_egale_au_seuil_n_est_pas_eligible_une_de_moins_l_est(
    seuil, resultat, raison
):
    reponse = evaluer_eligibilite("59317", ReglesEligibilite(seuil_population=seuil))
    assert (reponse.resultat, reponse.raisons[0]) == (resultat, f"Houplines (59317) : {raison}")


def test_la_population_totale_compte_quand_l_appel_la_choisit():
    # Wasquehal : 20 726 habitants en population municipale, 21 005 en population totale.
    municipale = evaluer_eligibilite("59646")
    totale = evaluer_eligibilite("59646", ReglesEligibilite(type_population="totale"))
    assert (municipale.resultat, municipale.faits["population"]) == (ELIGIBLE, 20726)
    assert (totale.resultat, totale.faits["population"]) == (NON_ELIGIBLE, 21005)
    assert totale.raisons[0] == (
        "Wasquehal (59646) : 21\u00a0005 habitants (population totale INSEE 2023) "
        "≥ 21\u00a0000, au-dessus du seuil"
    )


def test_paris_75101_est_rapporte_a_la_commune_75056():
    reponse = evaluer_eligibilite("75101")
    assert (reponse.code, reponse.faits["insee_code"], reponse.faits["commune"]) == (
        "75101",
        "75056",
        "Paris",
    )
    assert reponse.faits["mapped_from"] == {
        "code": "75101",
        "reason": "arrondissement",
        "since": None,
    }
    assert reponse.raisons[0] == (
        "Le code 75101 est un arrondissement municipal de Paris (75056) : "
        "c'est la commune qui est examinée."
    )


@pytest.mark.parametrize("code, commune", [("69381", "69123"), ("13216", "13055")])
def test_les_arrondissements_de_lyon_et_marseille_sont_rapportes_a_leur_commune(code, commune):
    assert evaluer_eligibilite(code).faits["insee_code"] == commune


def test_pierrefitte_93059_est_rapportee_a_saint_denis_93066():
    reponse = evaluer_eligibilite("93059")
    assert (reponse.faits["insee_code"], reponse.faits["commune"]) == ("93066", "Saint-Denis")
    assert reponse.faits["mapped_from"] == {
        "code": "93059",
        "reason": "fusion",
        "since": "2025-01-01",
    }
    assert reponse.raisons[0] == (
        "Le code 93059 est celui d'une ancienne commune, fusionnée dans Saint-Denis (93066) "
        "depuis le 1er janvier 2025 : c'est la commune qui est examinée."
    )


def test_les_qpv_de_pierrefitte_sont_rattaches_a_saint_denis():
    codes = {qpv["code"] for qpv in evaluer_eligibilite("93066").faits["qpv"]}
    assert {"QN09335M", "QN09339M", "QN09365N"} <= codes


@pytest.mark.parametrize("code", ["99999", "75121", "", "abc"])
def test_un_code_inconnu_leve_une_erreur_en_francais(code):
    with pytest.raises(CommuneInconnue) as erreur:
        evaluer_eligibilite(code)
    assert str(erreur.value) == (
        f"Code INSEE inconnu : « {code.upper()} » n'est ni une commune en vigueur, "
        "ni un arrondissement municipal, ni une ancienne commune connue."
    )


def test_un_code_saisi_sans_son_zero_initial_est_retrouve():
    assert evaluer_eligibilite(" 1001 ").faits["insee_code"] == "01001"


def test_une_commune_sans_population_est_a_examiner():
    # Clipperton (98901) n'a pas de population légale.
    reponse = evaluer_eligibilite("98901")
    assert reponse.resultat == A_EXAMINER
    assert reponse.raisons[0] == (
        "Île de Clipperton (98901) : population inconnue (INSEE, millésime non précisé), à examiner"
    )


def test_metropole_de_lille_95_communes_84_sous_21000_habitants_75_eligibles():
    regles = ReglesEligibilite(perimetre_epci=(MEL,))
    communes = list(communes_de_l_epci(MEL))
    reponses = [evaluer_eligibilite(commune.code_insee, regles) for commune in communes]

    assert len(communes) == 95
    assert sum(1 for c in communes if c.population_municipale < 21000) == 84
    assert sum(1 for r in reponses if r.resultat == ELIGIBLE) == 75
    non_eligibles_sous_le_seuil = sorted(
        r.faits["commune"]
        for r in reponses
        if r.resultat == NON_ELIGIBLE and r.faits["population"] < 21000
    )
    assert non_eligibles_sous_le_seuil == [
        "Croix",
        "Faches-Thumesnil",
        "Haubourdin",
        "Hem",
        "Lezennes",
        "Lys-lez-Lannoy",
        "Ronchin",
        "Seclin",
        "Wattignies",
    ]


def test_metropole_de_lille_en_population_totale_74_eligibles():
    regles = ReglesEligibilite(perimetre_epci=(MEL,), type_population="totale")
    reponses = [evaluer_eligibilite(c.code_insee, regles) for c in communes_de_l_epci(MEL)]
    assert sum(1 for r in reponses if r.resultat == ELIGIBLE) == 74


def test_une_commune_hors_du_perimetre_n_est_pas_eligible():
    # Arras (62041) n'est pas dans la Métropole européenne de Lille.
    reponse = evaluer_eligibilite("62041", ReglesEligibilite(perimetre_epci=(MEL,)))
    assert reponse.resultat == NON_ELIGIBLE
    assert reponse.raisons[0] == (
        "Arras (62041) : hors du périmètre de l'appel (Métropole Européenne de Lille)"
    )


def test_le_perimetre_accepte_un_epci_ou_un_departement():
    regles = ReglesEligibilite(perimetre_epci=(MEL,), perimetre_departements=("62",))
    houplines = evaluer_eligibilite("59317", regles)
    # Ablainzevelle (62002), 208 habitants, sans QPV, hors de la métropole.
    ablainzevelle = evaluer_eligibilite("62002", regles)
    assert houplines.raisons[0] == (
        "Houplines (59317) : dans le périmètre de l'appel "
        "(Métropole Européenne de Lille, EPCI 200093201)"
    )
    assert ablainzevelle.raisons[0] == (
        "Ablainzevelle (62002) : dans le périmètre de l'appel (département Pas-de-Calais (62))"
    )
    assert (houplines.resultat, ablainzevelle.resultat) == (ELIGIBLE, ELIGIBLE)


def test_le_nom_de_l_epci_apparait_quand_il_est_connu():
    Epci.objects.filter(siren=MEL).update(nom="Métropole européenne de Lille")
    reponse = evaluer_eligibilite("59317", ReglesEligibilite(perimetre_epci=(MEL,)))
    assert reponse.raisons[0] == (
        "Houplines (59317) : dans le périmètre de l'appel "
        "(Métropole européenne de Lille, EPCI 200093201)"
    )
    assert reponse.faits["epci"] == {"siren": MEL, "name": "Métropole européenne de Lille"}


@pytest.mark.parametrize(
    "type_structure, resultat, raison",
    [
        ("ccas", ELIGIBLE, "structure de type CCAS acceptée"),
        (
            "association",
            NON_ELIGIBLE,
            "structure de type Association non acceptée (types acceptés : CCAS, ESAT)",
        ),
        (None, ELIGIBLE, "types de structure acceptés : CCAS, ESAT, à vérifier sur la candidature"),
    ],
)
def test_les_types_de_structure_acceptes(type_structure, resultat, raison):
    regles = ReglesEligibilite(types_structure=("ccas", "esat"))
    reponse = evaluer_eligibilite("59317", regles, type_structure=type_structure)
    assert (reponse.resultat, reponse.raisons[-1]) == (resultat, f"Houplines (59317) : {raison}")
    assert reponse.faits["structure_type"] == type_structure


def test_une_liste_de_qpv_absente_rend_la_reponse_a_examiner():
    reponse = evaluer_eligibilite("59317", ReglesEligibilite(version_qpv="QPV2015"))
    assert reponse.resultat == A_EXAMINER
    assert reponse.faits["qpv_list"] is None
    assert reponse.raisons[1] == (
        "Houplines (59317) : liste de QPV QPV2015 non importée, QPV à examiner"
    )


def test_les_regles_se_lisent_sur_un_appel():
    appel = SimpleNamespace(
        perimetre_epci=[MEL],
        perimetre_departements=["59", "62"],
        seuil_population=15000,
        type_population="totale",
        version_qpv="QPV2024",
        qpv_intercommunal="a_examiner",
        types_structure=["ccas"],
    )
    assert ReglesEligibilite.depuis_appel(appel) == ReglesEligibilite(
        perimetre_epci=(MEL,),
        perimetre_departements=("59", "62"),
        seuil_population=15000,
        type_population="totale",
        version_qpv="QPV2024",
        qpv_intercommunal="a_examiner",
        types_structure=("ccas",),
    )
