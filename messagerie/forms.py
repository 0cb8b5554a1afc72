from django import forms
from django.utils.translation import gettext_lazy as _


class EnvoiGroupeForm(forms.Form):
    """Le sujet et le corps d'un envoi groupé ; `destinataire` : le rang du destinataire dont
    l'aperçu montre le message."""

    sujet = forms.CharField(label=_("Objet"), max_length=255)
    corps = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
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
