"""Les réponses aux questions d'un appel : champ de formulaire, valeur JSON enregistrée, et
la même valeur lue par une personne (page, récépissé) ou par un tableur (export)."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidatures.completude import reponse_est_donnee
from noyau.widgets import EntreeDate
from programmes.enums import TypeQuestion

OUI_NON = [("oui", _("Oui")), ("non", _("Non"))]


class ChampNombre(forms.DecimalField):
    """Un nombre tapé à la française : « 1 250,5 » comme « 1250.5 »."""

    def to_python(self, valeur):
        if isinstance(valeur, str):
            valeur = "".join(valeur.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(valeur)


def champ_de_formulaire(question):
    """Le champ d'une question. Rien n'est obligatoire à l'enregistrement d'un brouillon : la
    complétude est vérifiée au dépôt ; le format (nombre, date, longueur) l'est toujours."""
    commun = {"label": question.libelle, "help_text": question.aide, "required": False}
    type_ = question.type
    if type_ == TypeQuestion.TEXTE_COURT:
        return forms.CharField(max_length=300, **commun)
    if type_ == TypeQuestion.TEXTE_LONG:
        attrs = {"rows": 6}
        if question.limite_caracteres:
            attrs["maxlength"] = question.limite_caracteres
            attrs["data-limite"] = question.limite_caracteres
        return forms.CharField(
            max_length=question.limite_caracteres or None,
            widget=forms.Textarea(attrs=attrs),
            **commun,
        )
    if type_ == TypeQuestion.CHOIX_UNIQUE:
        return forms.ChoiceField(
            choices=[(choix, choix) for choix in question.choix],
            widget=forms.RadioSelect,
            **commun,
        )
    if type_ == TypeQuestion.CHOIX_MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(choix, choix) for choix in question.choix],
            widget=forms.CheckboxSelectMultiple,
            **commun,
        )
    if type_ == TypeQuestion.NOMBRE:
        return ChampNombre(
            max_digits=15,
            decimal_places=2,
            localize=True,
            **commun,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
    if type_ == TypeQuestion.DATE:
        return forms.DateField(widget=EntreeDate, **commun)
    if type_ == TypeQuestion.OUI_NON:
        return forms.ChoiceField(choices=OUI_NON, widget=forms.RadioSelect, **commun)
    if type_ == TypeQuestion.FICHIER:
        return forms.FileField(widget=forms.FileInput, **commun)
    raise ValueError(f"Type de question inconnu : {type_}")


def valeur_json(question, valeur):
    """La valeur nettoyée d'un champ, telle qu'on l'enregistre ; None si rien n'est répondu."""
    type_ = question.type
    if valeur in (None, "", []):
        return None
    if type_ in (TypeQuestion.TEXTE_COURT, TypeQuestion.TEXTE_LONG):
        valeur = valeur.strip()
        return valeur or None
    if type_ == TypeQuestion.NOMBRE:
        return int(valeur) if valeur == valeur.to_integral_value() else float(valeur)
    if type_ == TypeQuestion.DATE:
        return valeur.isoformat()
    if type_ == TypeQuestion.OUI_NON:
        return valeur == "oui"
    if type_ == TypeQuestion.CHOIX_MULTIPLE:
        return list(valeur)
    return valeur


def valeur_initiale(question, valeur):
    """La valeur enregistrée, remise dans la forme qu'attend le champ du formulaire."""
    if valeur is None:
        return None
    if question.type == TypeQuestion.OUI_NON:
        return "oui" if valeur else "non"
    if question.type == TypeQuestion.NOMBRE:
        return Decimal(str(valeur))
    if question.type == TypeQuestion.DATE:
        return datetime.date.fromisoformat(valeur)
    return valeur


def valeur_affichee(question, valeur):
    """La réponse en texte, pour une page ou le récépissé ; chaîne vide si non répondue."""
    if not reponse_est_donnee(valeur):
        return ""
    if question.type == TypeQuestion.OUI_NON:
        return gettext("Oui") if valeur else gettext("Non")
    if question.type == TypeQuestion.DATE:
        return date_format(datetime.date.fromisoformat(valeur), "j F Y")
    if question.type == TypeQuestion.CHOIX_MULTIPLE:
        return ", ".join(valeur)
    if question.type == TypeQuestion.NOMBRE:
        return number_format(valeur)
    return str(valeur)


def valeur_tableur(question, valeur):
    """La réponse pour une cellule : nombre, date, « Oui »/« Non », choix séparés par « ; »."""
    if not reponse_est_donnee(valeur):
        return None
    if question.type == TypeQuestion.OUI_NON:
        return gettext("Oui") if valeur else gettext("Non")
    if question.type == TypeQuestion.DATE:
        return datetime.date.fromisoformat(valeur)
    if question.type == TypeQuestion.CHOIX_MULTIPLE:
        return "; ".join(valeur)
    return valeur
