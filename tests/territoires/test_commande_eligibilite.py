import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def eligibilite(*arguments):
    sortie = io.StringIO()
    erreur = None
    try:
        call_command("eligibilite", *arguments, stdout=sortie)
    except CommandError as exception:
        erreur = exception
    return sortie.getvalue(), erreur


def test_json_une_reponse_par_code_dans_l_ordre_donne():
    sortie, erreur = eligibilite("59317", "75101", "--format", "json")

    reponses = json.loads(sortie)
    assert erreur is None
    assert [
        (r["code"], r["insee_code"], r["commune"], r["result"], r["population"]) for r in reponses
    ] == [
        ("59317", "59317", "Houplines", "eligible", 7921),
        ("75101", "75056", "Paris", "non_eligible", 2103778),
    ]
    assert reponses[0]["reasons"] == [
        "Houplines (59317) : 7\u00a0921 habitants (INSEE 2023) < 21\u00a0000",
        "Houplines (59317) : aucun QPV (liste 2024)",
    ]
    assert (reponses[0]["population_year"], reponses[0]["qpv_list"], reponses[0]["qpv"]) == (
        2023,
        "QPV2024",
        [],
    )


def test_un_code_inconnu_est_signale_les_autres_repondus_et_la_sortie_vaut_1():
    sortie, erreur = eligibilite("99999", "59286", "--format", "json")

    reponses = json.loads(sortie)
    assert reponses[0] == {
        "code": "99999",
        "error": "Code INSEE inconnu : « 99999 » n'est ni une commune en vigueur, "
        "ni un arrondissement municipal, ni une ancienne commune connue.",
    }
    assert (reponses[1]["commune"], reponses[1]["result"]) == ("Haubourdin", "non_eligible")
    assert reponses[1]["qpv"][0]["code"] == "QN05991N"
    assert (erreur.returncode, str(erreur)) == (1, "1 code(s) inconnu(s) : 99999.")


def test_texte_par_defaut():
    sortie, erreur = eligibilite("59220", "93059", "99999")

    assert sortie.splitlines() == [
        "Faches-Thumesnil (59220) : non éligible",
        "  - Faches-Thumesnil (59220) : 18\u00a0619 habitants (INSEE 2023) < 21\u00a0000",
        "  - Faches-Thumesnil (59220) : QPV intercommunal QN05972M « Secteur Sud » (liste 2024), "
        "partagé avec Lezennes (59346), Lille (59350), Loos (59360)",
        "",
        "Saint-Denis (93066) : non éligible",
        "  - Le code 93059 est celui d'une ancienne commune, fusionnée dans Saint-Denis (93066) "
        "depuis le 1er janvier 2025 : c'est la commune qui est examinée.",
        "  - Saint-Denis (93066) : 149\u00a0077 habitants (INSEE 2023) ≥ 21\u00a0000, "
        "au-dessus du seuil",
        sortie.splitlines()[7],
        "",
        "99999 : erreur — Code INSEE inconnu : « 99999 » n'est ni une commune en vigueur, "
        "ni un arrondissement municipal, ni une ancienne commune connue.",
    ]
    assert sortie.splitlines()[7].startswith("  - Saint-Denis (93066) : QPV QN09336I")
    assert erreur.returncode == 1


def test_un_appel_inconnu_est_refuse():
    with pytest.raises(CommandError) as erreur:
        call_command("eligibilite", "59317", "--appel", "appel-qui-n-existe-pas")
    assert str(erreur.value) == "Aucun appel « appel-qui-n-existe-pas »."


def test_les_regles_d_un_appel_s_appliquent():
    from tests.candidatures.factories import AppelFactory

    AppelFactory(slug="mel-2022", qpv_intercommunal="a_examiner", types_structure=["ccas"])

    sortie, erreur = eligibilite("59220", "62002", "--appel", "mel-2022", "--format", "json")

    faches, ablainzevelle = json.loads(sortie)
    assert erreur is None
    assert (faches["result"], ablainzevelle["result"]) == ("a_examiner", "non_eligible")
    assert faches["rules"] == {
        "perimetre_epci": ["200093201"],
        "perimetre_departements": [],
        "seuil_population": 21000,
        "type_population": "municipale",
        "version_qpv": "",
        "qpv_intercommunal": "a_examiner",
        "types_structure": ["ccas"],
    }
    assert faches["reasons"] == [
        "Faches-Thumesnil (59220) : dans le périmètre de l'appel "
        "(Métropole Européenne de Lille, EPCI 200093201)",
        "Faches-Thumesnil (59220) : 18\u00a0619 habitants (INSEE 2023) < 21\u00a0000",
        "Faches-Thumesnil (59220) : QPV intercommunal QN05972M « Secteur Sud » (liste 2024), "
        "partagé avec Lezennes (59346), Lille (59350), Loos (59360), "
        "à examiner par un gestionnaire",
        "Faches-Thumesnil (59220) : types de structure acceptés : CCAS, "
        "à vérifier sur la candidature",
    ]
