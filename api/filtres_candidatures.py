"""Les filtres de la liste des candidatures : appel, état, dates de dépôt et de modification."""

import django_filters
from django.utils.translation import gettext_lazy as _

from api.filtres import filtre_de_date, filtre_identifiant
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature


class FiltresCandidatures(django_filters.FilterSet):
    appel = filtre_identifiant("appel_id", _("Identifiant de l'appel."))
    etat = django_filters.ChoiceFilter(
        choices=EtatCandidature.choices, help_text=_("État de la candidature.")
    )
    depose_apres = filtre_de_date(
        "deposee_le", "gte", _("Dernier dépôt à partir de cette date (ISO 8601).")
    )
    depose_avant = filtre_de_date(
        "deposee_le", "lt", _("Dernier dépôt avant cette date (ISO 8601).")
    )
    modifie_apres = filtre_de_date(
        "modifiee_le", "gte", _("Modifiée à partir de cette date (ISO 8601).")
    )

    class Meta:
        model = Candidature
        fields = ["etat"]
