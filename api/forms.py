import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.jetons import DUREE_PAR_DEFAUT
from noyau.widgets import EntreeDate


class JetonForm(forms.Form):
    nom = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_(
            "Pour le reconnaître : l'outil qui s'en servira (« Tableau de bord régional »)."
        ),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        empty_label=None,
        help_text=_("Le jeton ne lit que ce programme, en lecture seule."),
    )
    expire_le = forms.DateField(
        label=_("Expire le"),
        widget=EntreeDate(),
        help_text=_("Un an au plus. Le jeton ne lit plus rien à partir de ce jour."),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        if not self.is_bound:
            self.initial.setdefault(
                "expire_le", (timezone.localdate() + DUREE_PAR_DEFAUT).isoformat()
            )

    def expiration(self):
        """Le début du jour choisi, à l'heure de Paris : le jeton vaut jusqu'à la veille."""
        jour = self.cleaned_data["expire_le"]
        return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))
