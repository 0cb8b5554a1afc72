from django import forms
from django.forms import formset_factory, modelformset_factory
from django.utils import timezone
from django.utils.formats import date_format

from aap.widgets import EntreeDate, EntreeHeure
from accompagnement.models import (
    Cadrage,
    ComiteCloture,
    ModeleJalon,
    PlanAccompagnement,
    SensibilisationEcosysteme,
    SessionFormation,
)
from candidatures.pieces_jointes import ACCEPT_HTML, FORMATS_ACCEPTES

CHAMP_DATE = EntreeDate
CHAMP_HEURE = EntreeHeure


class ChoixPlans(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, plan):
        return plan.structure.nom


class FichiersMultiples(forms.ClearableFileInput):
    allow_multiple_selected = True


class ChampFichiers(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FichiersMultiples(attrs={"accept": ACCEPT_HTML}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(ChampFichiers, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class PreuveForm(forms.Form):
    note = forms.CharField(
        label="Note de suivi", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    fichiers = ChampFichiers(
        label="Pièces justificatives",
        required=False,
        help_text=f"{FORMATS_ACCEPTES}, 10 Mo au plus par fichier.",
    )


class EcheanceForm(forms.Form):
    echeance = forms.DateField(label="Nouvelle échéance", widget=CHAMP_DATE)
    motif = forms.CharField(label="Motif du changement", max_length=500)

    def __init__(self, *args, **kwargs):
        # La page d'une étape porte aussi le formulaire d'annulation, qui a son « motif » :
        # des identifiants propres à chacun, sans toucher aux noms envoyés.
        kwargs.setdefault("auto_id", "id_echeance_%s")
        super().__init__(*args, **kwargs)


class MotifForm(forms.Form):
    motif = forms.CharField(label="Motif", max_length=500)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_annulation_%s")
        super().__init__(*args, **kwargs)


class AffectationCoachForm(forms.Form):
    coach = forms.ModelChoiceField(
        label="Coach", queryset=None, required=False, empty_label="— aucun —"
    )

    def __init__(self, *args, coachs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coachs
        self.fields["coach"].label_from_instance = lambda u: u.get_full_name() or u.email


class CohorteForm(forms.Form):
    date_debut = forms.DateField(label="Démarrage de la cohorte", widget=CHAMP_DATE)


class CadrageForm(forms.ModelForm):
    class Meta:
        model = Cadrage
        fields = [*Cadrage.CHAMPS_DIAGNOSTIC, "objectifs"]
        widgets = {champ: forms.Textarea(attrs={"rows": 3}) for champ in fields}


class ActionForm(forms.Form):
    libelle = forms.CharField(label="Action", max_length=300)
    echeance = forms.DateField(label="Date prévue", widget=CHAMP_DATE)
    responsable = forms.CharField(label="Qui", max_length=150, required=False)


ActionFormSet = formset_factory(ActionForm, extra=2, can_delete=True)


ModeleJalonFormSet = modelformset_factory(
    ModeleJalon,
    fields=["ordre", "type", "libelle", "description", "decalage_mois", "duree_mois"],
    extra=1,
    can_delete=True,
    widgets={"description": forms.Textarea(attrs={"rows": 2})},
)


class ReferentForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    fonction = forms.CharField(label="Fonction", max_length=150, required=False)
    email = forms.EmailField(label="Adresse électronique")


class SessionForm(forms.ModelForm):
    plans = ChoixPlans(label="Structures invitées", queryset=PlanAccompagnement.objects.none())

    class Meta:
        model = SessionFormation
        fields = ["formation", "date", "heure_debut", "heure_fin", "lieu", "formateur", "capacite"]
        widgets = {"date": CHAMP_DATE, "heure_debut": CHAMP_HEURE, "heure_fin": CHAMP_HEURE}

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
                f"La fin ({fin:%H:%M}) doit venir après le début ({debut:%H:%M}).",
            )
        return donnees


class SensibilisationForm(forms.ModelForm):
    plans = ChoixPlans(label="Structures présentes", queryset=PlanAccompagnement.objects.none())

    class Meta:
        model = SensibilisationEcosysteme
        fields = ["date", "lieu", "partenaires_presents"]
        widgets = {"date": CHAMP_DATE, "partenaires_presents": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans


class ComiteForm(forms.ModelForm):
    plans = ChoixPlans(label="Plans examinés", queryset=PlanAccompagnement.objects.none())

    class Meta:
        model = ComiteCloture
        fields = ["date", "heure", "lieu", "participants", "ordre_du_jour"]
        widgets = {
            "date": CHAMP_DATE,
            "heure": CHAMP_HEURE,
            "participants": forms.Textarea(attrs={"rows": 3}),
            "ordre_du_jour": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans


class CompteRenduForm(forms.Form):
    compte_rendu = forms.CharField(label="Compte rendu", widget=forms.Textarea(attrs={"rows": 6}))


def _le(jour):
    return date_format(jour, "j F Y")


class RemiseKitForm(forms.Form):
    """`periode` : (premier, dernier jour) du plan ; une remise datée hors de l'accompagnement
    est une faute de frappe (2030 pour 2023)."""

    kit = forms.ModelChoiceField(label="Kit", queryset=None)
    date = forms.DateField(label="Remis le", widget=CHAMP_DATE)

    def __init__(self, *args, kits, periode, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kit"].queryset = kits
        self.periode = periode
        debut, fin = periode
        self.fields["date"].widget.attrs.update({"min": debut.isoformat(), "max": fin.isoformat()})
        self.fields["date"].help_text = f"Entre le {_le(debut)} et le {_le(fin)}."

    def clean_date(self):
        date = self.cleaned_data["date"]
        debut, fin = self.periode
        if date < debut:
            raise forms.ValidationError(
                f"La date de remise doit être au plus tôt le {_le(debut)}, démarrage du plan."
            )
        if date > fin:
            raise forms.ValidationError(
                f"La date de remise doit être au plus tard le {_le(fin)}, fin de l'accompagnement."
            )
        if date > timezone.localdate():
            raise forms.ValidationError(
                "La date de remise ne peut pas être dans le futur : notez la remise une fois "
                "le kit remis."
            )
        return date
