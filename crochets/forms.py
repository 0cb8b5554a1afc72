from django import forms
from django.utils.translation import gettext_lazy as _

from crochets.evenements import EVENEMENTS_ABONNABLES


class AbonnementForm(forms.Form):
    url = forms.URLField(
        label=_("Adresse du webhook"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Une adresse https:// du partenaire : elle reçoit chaque événement choisi en POST, "
            "en JSON signé."
        ),
    )
    evenements = forms.MultipleChoiceField(
        label=_("Événements envoyés"),
        choices=[(str(code), code.label) for code in EVENEMENTS_ABONNABLES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un événement.")},
    )


class ModifierAbonnementForm(AbonnementForm):
    actif = forms.BooleanField(
        label=_("Actif"),
        required=False,
        help_text=_("Un webhook désactivé ne reçoit plus rien ; il garde son journal."),
    )
