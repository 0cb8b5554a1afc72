import json

import pytest
from django.core.management import call_command

from activite.models import Action, Beneficiaire, ListeAttente, Participation

pytestmark = pytest.mark.django_db


def _bilan_2022(capsys):
    capsys.readouterr()  # ce que seed_demo a écrit
    call_command("bilan", "--appel", "ami-inclusion-numerique-2022", "--format", "json")
    return json.loads(capsys.readouterr().out)


def _lignes():
    return (
        sorted(Beneficiaire.objects.values_list("pk", "code", "genre", "annee_naissance")),
        sorted(Action.objects.values_list("pk", "ref", "type", "date_debut", "duree_heures")),
        sorted(Participation.objects.values_list("pk", "statut")),
        sorted(ListeAttente.objects.values_list("pk", "nombre")),
    )


def test_la_demo_donne_les_chiffres_publies_et_se_recharge_a_l_identique(capsys):
    call_command("seed_demo")
    bilan = _bilan_2022(capsys)
    lignes = _lignes()
    call_command("seed_demo")

    assert {cle: bilan[cle] for cle in ("actions", "ateliers_permanences", "parcours")} == {
        "actions": 56,
        "ateliers_permanences": 32,
        "parcours": 24,
    }
    assert (bilan["beneficiaires"], bilan["beneficiaires_en_parcours"]) == (144, 136)
    assert (bilan["referents_formes"], bilan["liste_attente"]) == (13, 80)
    assert [
        round(bilan[cle])
        for cle in ("femmes_pct", "hommes_pct", "age_moyen", "parcours_complets_pct")
    ] == [61, 39, 60, 75]
    assert bilan["parcours_heures_moyennes"] == {"ordinateur": 11.9, "tablette": 14.5}
    assert _bilan_2022(capsys) == bilan
    assert _lignes() == lignes
