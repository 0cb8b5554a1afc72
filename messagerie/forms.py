from django import forms
from django.utils.translation import gettext_lazy as _

_LIBELLES = {"sujet": _("Sujet"), "corps": _("Texte du courriel"), "texte": _("Texte du document")}


class TexteDuProgrammeForm(forms.Form):
    """Les textes d'un modèle (sujet et corps d'un courriel, ou texte d'un document) ; leur
    vérification contre les champs offerts est celle du service (`messagerie.modeles`)."""

    def __init__(self, *args, noms, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in noms:
            # Le texte est celui du programme (une donnée, écrite en français par ses
            # gestionnaires) : pas de traduction automatique par le navigateur.
            if nom == "sujet":
                self.fields[nom] = forms.CharField(
                    label=_LIBELLES[nom],
                    max_length=255,
                    widget=forms.TextInput(attrs={"translate": "no"}),
                )
            else:
                self.fields[nom] = forms.CharField(
                    label=_LIBELLES[nom],
                    widget=forms.Textarea(attrs={"rows": 14, "translate": "no"}),
                    strip=False,
                )


class EnvoiGroupeForm(forms.Form):
    """Le sujet et le corps d'un envoi groupé ; `destinataire` : le rang du destinataire dont
    l'aperçu montre le message."""

    sujet = forms.CharField(
        label=_("Objet"), max_length=255, widget=forms.TextInput(attrs={"translate": "no"})
    )
    corps = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10, "translate": "no"}),
        help_text=_(
            "Les champs {{ nom }} de cette liste sont remplacés pour chacun ; une condition "
            "s'écrit {% if nom %}…{% else %}…{% endif %}."
        ),
    )
    destinataire = forms.TypedChoiceField(
        label=_("Aperçu pour"), coerce=int, required=False, empty_value=0
    )

    def __init__(self, *args, destinataires, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destinataire"].choices = [
            (rang, _libelle(destinataire)) for rang, destinataire in enumerate(destinataires)
        ]


def _libelle(destinataire):
    nom = destinataire.valeurs.get("structure") or destinataire.valeurs.get("nom") or ""
    return f"{destinataire.email} ({nom})" if nom else destinataire.email
