from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from echanges.services import DELAI_MAX_JOURS, LONGUEUR_MAX
from noyau.erreurs import DonneesRefusees
from noyau.fichiers import formats_acceptes, verifier_fichier
from noyau.widgets import ChampFichiers


class MessageFilForm(forms.Form):
    """Un message du fil ; le délai de réponse n'est proposé qu'à l'équipe du programme."""

    texte = forms.CharField(
        label=_("Votre message"),
        max_length=LONGUEUR_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    fichiers = ChampFichiers(label=_("Pièces jointes"), required=False)
    delai_reponse_jours = forms.IntegerField(
        label=_("Réponse attendue sous (jours)"),
        required=False,
        min_value=1,
        max_value=DELAI_MAX_JOURS,
        help_text=_(
            "Facultatif. Sans réponse de la structure à cette date, elle reçoit une relance."
        ),
    )

    def __init__(self, *args, equipe=False, **kwargs):
        # La page de l'objet porte d'autres formulaires (« message » d'un complément…) :
        # des identifiants propres.
        kwargs.setdefault("auto_id", "id_fil_%s")
        super().__init__(*args, **kwargs)
        self.fields["fichiers"].help_text = gettext("%(formats)s, 10 Mo au plus par fichier.") % {
            "formats": formats_acceptes()
        }
        if not equipe:
            del self.fields["delai_reponse_jours"]

    def clean_fichiers(self):
        fichiers = self.cleaned_data["fichiers"]
        for fichier in fichiers:
            try:
                verifier_fichier(fichier)
            except DonneesRefusees as refus:
                raise forms.ValidationError(refus.message) from refus
        return fichiers
