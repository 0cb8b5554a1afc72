"""Filtres communs des listes : par état et par dates (`AAAA-MM-JJ` ou date et heure ISO 8601)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
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


def filtre_de_date(champ, sens, aide):
    return django_filters.IsoDateTimeFilter(field_name=champ, lookup_expr=sens, help_text=aide)


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
