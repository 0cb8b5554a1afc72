"""Filtres communs des listes : par état et par dates (`AAAA-MM-JJ` ou date et heure ISO 8601)."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from programmes.enums import EtatAppel
from programmes.models import Appel

# Un identifiant se compare à une colonne entière : hors de ses bornes, la base refuserait la
# requête (une erreur 500), alors que le filtre doit répondre 400 avec un message.
MAX_IDENTIFIANT = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_IDENTIFIANT})
class FiltreIdentifiant(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_IDENTIFIANT)
        super().__init__(*args, **kwargs)


def filtre_identifiant(champ, aide):
    return FiltreIdentifiant(field_name=champ, help_text=aide)


class ChampDateHeureUTC(IsoDateTimeField):
    """Une date et heure ISO 8601 ramenée en UTC avant d'atteindre la base : PostgreSQL refuse
    un décalage au-delà de ±15:59 (« 1327-08-26T15:44-18:44 » est valable pour Python), et une
    date aux limites du calendrier ne se convertit pas (une erreur 500 sinon)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError as erreur:
            raise forms.ValidationError(_("Date hors des limites du calendrier.")) from erreur


class FiltreDateHeure(django_filters.IsoDateTimeFilter):
    field_class = ChampDateHeureUTC


def filtre_de_date(champ, sens, aide):
    return FiltreDateHeure(field_name=champ, lookup_expr=sens, help_text=aide)


class FiltresAppels(django_filters.FilterSet):
    etat = django_filters.ChoiceFilter(choices=EtatAppel.choices, help_text=_("État de l'appel."))
    date_limite_apres = filtre_de_date(
        "date_limite", "gte", _("Date limite à partir de cette date (ISO 8601).")
    )
    date_limite_avant = filtre_de_date(
        "date_limite", "lt", _("Date limite avant cette date (ISO 8601).")
    )
    programme = filtre_identifiant("programme_id", _("Identifiant du programme."))
    modifie_apres = filtre_de_date(
        "modifie_le", "gte", _("Modifié à partir de cette date (ISO 8601).")
    )

    class Meta:
        model = Appel
        fields = ["etat"]
