from django import forms
from django.utils.translation import gettext_lazy as _

_LIBELLES = {"sujet": _("Sujet"), "corps": _("Texte du courriel"), "texte": _("Texte du document")}


class TexteDuProgrammeForm(forms.Form):
    """Les textes d'un modèle (sujet et corps d'un courriel, ou texte d'un document) ; leur
    vérification contre les champs offerts est celle du service (`messagerie.modeles`)."""

    def __init__(self, *args, noms, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in noms:
            if nom == "sujet":
                self.fields[nom] = forms.CharField(label=_LIBELLES[nom], max_length=255)
            else:
                self.fields[nom] = forms.CharField(
                    label=_LIBELLES[nom],
                    widget=forms.Textarea(attrs={"rows": 14}),
                    strip=False,
                )
