"""Chaque champ de date, d'heure, de date et heure et de nombre est rendu dans le format que
son <input> exige, quelle que soit la langue : sinon le navigateur l'affiche vide et
l'enregistrement suivant efface la valeur."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

from noyau.widgets import EntreeDate, EntreeDateHeure, EntreeHeure, EntreeNombre


class FormulaireDeSaisies(forms.Form):
    date = forms.DateField(widget=EntreeDate)
    heure = forms.TimeField(widget=EntreeHeure)
    date_heure = forms.DateTimeField(widget=EntreeDateHeure)
    nombre = forms.DecimalField(localize=True, widget=EntreeNombre)
    entier = forms.IntegerField(localize=True, widget=EntreeNombre)
    # Des champs de Django laissés par défaut suivent aussi (aap/formats/).
    date_par_defaut = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    heure_par_defaut = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))


VALEURS = {
    "date": datetime.date(2027, 4, 1),
    "heure": datetime.time(9, 5),
    "date_heure": datetime.datetime(2027, 4, 1, 9, 5),
    "nombre": Decimal("1234567.5"),
    "entier": 21000,
    "date_par_defaut": datetime.date(2027, 4, 1),
    "heure_par_defaut": datetime.time(9, 5),
}
ATTENDU = {
    "date": '<input type="date" name="date" value="2027-04-01"',
    "heure": '<input type="time" name="heure" value="09:05"',
    "date_heure": '<input type="datetime-local" name="date_heure" value="2027-04-01T09:05"',
    "nombre": '<input type="number" name="nombre" value="1234567.5"',
    "entier": '<input type="number" name="entier" value="21000"',
    "date_par_defaut": '<input type="date" name="date_par_defaut" value="2027-04-01"',
    "heure_par_defaut": '<input type="time" name="heure_par_defaut" value="09:05"',
}


@pytest.mark.parametrize("langue", ["fr", "en"])
@pytest.mark.parametrize("separateur_milliers", [False, True])
@pytest.mark.parametrize("champ", list(VALEURS))
def test_champ_de_saisie_rendu_au_format_du_navigateur(langue, separateur_milliers, champ):
    with translation.override(langue), settings_milliers(separateur_milliers):
        html = str(FormulaireDeSaisies(initial=VALEURS)[champ])
    assert html.startswith(ATTENDU[champ]), html


@pytest.mark.parametrize("langue", ["fr", "en"])
def test_champ_de_saisie_relit_ce_que_le_navigateur_envoie(langue):
    envoye = {
        "date": "2027-04-01",
        "heure": "09:05",
        "date_heure": "2027-04-01T09:05",
        "nombre": "1234567.5",
        "entier": "21000",
        "date_par_defaut": "2027-04-01",
        "heure_par_defaut": "09:05",
    }
    with translation.override(langue):
        formulaire = FormulaireDeSaisies(data=envoye)
        assert formulaire.is_valid(), formulaire.errors
    donnees = formulaire.cleaned_data
    assert donnees["date_heure"].replace(tzinfo=None) == VALEURS["date_heure"]
    assert {nom: donnees[nom] for nom in envoye if nom != "date_heure"} == {
        nom: valeur for nom, valeur in VALEURS.items() if nom != "date_heure"
    }


def test_une_date_tapee_a_la_francaise_reste_comprise():
    with translation.override("fr"):
        formulaire = FormulaireDeSaisies(
            data={**{nom: "" for nom in VALEURS}, "date": "01/04/2027", "heure": "9h05"}
        )
        formulaire.is_valid()
    assert formulaire.cleaned_data["date"] == datetime.date(2027, 4, 1)
    assert formulaire.cleaned_data["heure"] == datetime.time(9, 5)


class settings_milliers:
    def __init__(self, actif):
        from django.test import override_settings

        self.surcharge = override_settings(USE_THOUSAND_SEPARATOR=actif)

    def __enter__(self):
        self.surcharge.enable()

    def __exit__(self, *exc):
        self.surcharge.disable()


WIDGETS_DE_DJANGO = {
    "DateInput",
    "TimeInput",
    "DateTimeInput",
    "NumberInput",
    "SplitDateTimeWidget",
}


def test_aucun_formulaire_ne_construit_lui_meme_un_champ_de_date_ou_de_nombre():
    """Les formulaires prennent leurs champs dans noyau/widgets.py, le seul endroit qui fixe leur
    format : un `forms.DateInput(...)` écrit ailleurs oublierait `format=` ou `localize`."""
    racine = Path(settings.BASE_DIR)
    fautifs = []
    for fichier in racine.rglob("*.py"):
        relatif = fichier.relative_to(racine)
        if relatif.parts[0] in {".venv", "tests", "node_modules"} or "migrations" in relatif.parts:
            continue
        if relatif == Path("noyau/widgets.py"):
            continue
        for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
            nom = None
            if isinstance(noeud, ast.Attribute):
                nom = noeud.attr
            elif isinstance(noeud, ast.Name):
                nom = noeud.id
            if nom in WIDGETS_DE_DJANGO:
                fautifs.append(f"{relatif}:{noeud.lineno} {nom}")
    assert fautifs == []
