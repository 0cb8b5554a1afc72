from django import forms
from django.utils.translation import gettext_lazy as _

from annotations.services import LONGUEUR_NOM, LONGUEUR_NOTE


class NoteForm(forms.Form):
    texte = forms.CharField(
        label=_("Nouvelle note"),
        max_length=LONGUEUR_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible de l'équipe du programme seulement, jamais de la structure."),
    )


class EtiquetteForm(forms.Form):
    nom = forms.CharField(label=_("Nom de l'étiquette"), max_length=LONGUEUR_NOM)
