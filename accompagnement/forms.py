from django import forms
from django.forms import formset_factory, modelformset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accompagnement.models import (
    Cadrage,
    ComiteCloture,
    ModeleJalon,
    PlanAccompagnement,
    SensibilisationEcosysteme,
    SessionFormation,
)
from noyau.fichiers import formats_acceptes
from noyau.widgets import ChampFichiers, EntreeDate, EntreeHeure

CHAMP_DATE = EntreeDate
CHAMP_HEURE = EntreeHeure


class ChoixPlans(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, plan):
        return plan.structure.nom


class PreuveForm(forms.Form):
    note = forms.CharField(
        label=_("Note de suivi"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    fichiers = ChampFichiers(
        label=_("Pièces justificatives"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichiers"].help_text = gettext("%(formats)s, 10 Mo au plus par fichier.") % {
            "formats": formats_acceptes()
        }


class EcheanceForm(forms.Form):
    echeance = forms.DateField(label=_("Nouvelle échéance"), widget=CHAMP_DATE)
    motif = forms.CharField(label=_("Motif du changement"), max_length=500)

    def __init__(self, *args, **kwargs):
        # La page d'une étape porte aussi le formulaire d'annulation, qui a son « motif » :
        # des identifiants propres à chacun, sans toucher aux noms envoyés.
        kwargs.setdefault("auto_id", "id_echeance_%s")
        super().__init__(*args, **kwargs)


class MotifForm(forms.Form):
    motif = forms.CharField(label=_("Motif"), max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_annulation_%s")
        super().__init__(*args, **kwargs)


class AffectationCoachForm(forms.Form):
    coach = forms.ModelChoiceField(
        label=_("Coach"), queryset=None, required=False, empty_label=_("— aucun —")
    )

    def __init__(self, *args, coachs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coachs
        self.fields["coach"].label_from_instance = lambda u: u.get_full_name() or u.email


class CohorteForm(forms.Form):
    date_debut = forms.DateField(label=_("Démarrage de la cohorte"), widget=CHAMP_DATE)


class CadrageForm(forms.ModelForm):
    class Meta:
        model = Cadrage
        fields = [*Cadrage.CHAMPS_DIAGNOSTIC, "objectifs"]
        widgets = {champ: forms.Textarea(attrs={"rows": 3}) for champ in fields}


class ActionForm(forms.Form):
    libelle = forms.CharField(label=_("Action"), max_length=300)
    echeance = forms.DateField(label=_("Date prévue"), widget=CHAMP_DATE)
    responsable = forms.CharField(label=_("Qui"), max_length=150, required=False)


ActionFormSet = formset_factory(ActionForm, extra=2, can_delete=True)


ModeleJalonFormSet = modelformset_factory(
    ModeleJalon,
    fields=["ordre", "type", "libelle", "description", "decalage_mois", "duree_mois"],
    extra=1,
    can_delete=True,
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
    # Les champs sans nom en clair dans le modèle : leur libellé par défaut, traduisible.
    labels={"ordre": _("Ordre"), "type": _("Type"), "description": _("Description")},
)


class ReferentForm(forms.Form):
    prenom = forms.CharField(label=_("Prénom"), max_length=100)
    nom = forms.CharField(label=_("Nom"), max_length=100)
    fonction = forms.CharField(label=_("Fonction"), max_length=150, required=False)
    email = forms.EmailField(label=_("Adresse électronique"))


class SessionForm(forms.ModelForm):
    plans = ChoixPlans(label=_("Structures invitées"), queryset=PlanAccompagnement.objects.none())

    class Meta:
        model = SessionFormation
        fields = ["formation", "date", "heure_debut", "heure_fin", "lieu", "formateur", "capacite"]
        widgets = {"date": CHAMP_DATE, "heure_debut": CHAMP_HEURE, "heure_fin": CHAMP_HEURE}
        labels = {"formation": _("Formation"), "date": _("Date"), "lieu": _("Lieu")}

    def __init__(self, *args, programme, plans, formateurs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formation"].queryset = programme.formations.all()
        self.fields["formateur"].queryset = formateurs
        self.fields["formateur"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["plans"].queryset = plans

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("heure_debut"), donnees.get("heure_fin")
        if debut and fin and fin <= debut:
            self.add_error(
                "heure_fin",
                gettext("La fin (%(fin)s) doit venir après le début (%(debut)s).")
                % {"fin": f"{fin:%H:%M}", "debut": f"{debut:%H:%M}"},
            )
        return donnees


class SensibilisationForm(forms.ModelForm):
    plans = ChoixPlans(label=_("Structures présentes"), queryset=PlanAccompagnement.objects.none())

    class Meta:
        model = SensibilisationEcosysteme
        fields = ["date", "lieu", "partenaires_presents"]
        widgets = {"date": CHAMP_DATE, "partenaires_presents": forms.Textarea(attrs={"rows": 2})}
        labels = {"date": _("Date"), "lieu": _("Lieu")}

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans


class ComiteForm(forms.ModelForm):
    plans = ChoixPlans(label=_("Plans examinés"), queryset=PlanAccompagnement.objects.none())

    class Meta:
        model = ComiteCloture
        fields = ["date", "heure", "lieu", "participants", "ordre_du_jour"]
        widgets = {
            "date": CHAMP_DATE,
            "heure": CHAMP_HEURE,
            "participants": forms.Textarea(attrs={"rows": 3}),
            "ordre_du_jour": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "date": _("Date"),
            "heure": _("Heure"),
            "lieu": _("Lieu"),
            "participants": _("Participants"),
        }

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans


class CompteRenduForm(forms.Form):
    compte_rendu = forms.CharField(
        label=_("Compte rendu"), widget=forms.Textarea(attrs={"rows": 6})
    )


def _le(jour):
    return date_format(jour, "j F Y")


class RemiseKitForm(forms.Form):
    """`periode` : (premier, dernier jour) du plan ; une remise datée hors de l'accompagnement
    est une faute de frappe (2030 pour 2023)."""

    kit = forms.ModelChoiceField(label=_("Kit"), queryset=None)
    date = forms.DateField(label=_("Remis le"), widget=CHAMP_DATE)

    def __init__(self, *args, kits, periode, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kit"].queryset = kits
        self.periode = periode
        debut, fin = periode
        self.fields["date"].widget.attrs.update({"min": debut.isoformat(), "max": fin.isoformat()})
        self.fields["date"].help_text = gettext("Entre le %(debut)s et le %(fin)s.") % {
            "debut": _le(debut),
            "fin": _le(fin),
        }

    def clean_date(self):
        date = self.cleaned_data["date"]
        debut, fin = self.periode
        if date < debut:
            raise forms.ValidationError(
                gettext("La date de remise doit être au plus tôt le %(jour)s, démarrage du plan.")
                % {"jour": _le(debut)}
            )
        if date > fin:
            raise forms.ValidationError(
                gettext(
                    "La date de remise doit être au plus tard le %(jour)s, fin de l'accompagnement."
                )
                % {"jour": _le(fin)}
            )
        if date > timezone.localdate():
            raise forms.ValidationError(
                gettext(
                    "La date de remise ne peut pas être dans le futur : notez la remise une fois "
                    "le kit remis."
                )
            )
        return date
