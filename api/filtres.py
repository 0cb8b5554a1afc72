"""Filtres communs des listes : par état et par dates (`AAAA-MM-JJ` ou date et heure ISO 8601)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from programmes.enums import EtatAppel
from programmes.models import Appel


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
    modifie_apres = filtre_de_date(
        "modifie_le", "gte", _("Modifié à partir de cette date (ISO 8601).")
    )

    class Meta:
        model = Appel
        fields = ["etat", "programme"]
