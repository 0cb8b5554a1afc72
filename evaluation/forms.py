from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation.enums import ModeAffectation, SensDecision, TypeConflit
from evaluation.models import Critere, Grille, Jury, MembreJury
from evaluation.services import SEANCE_DANS_LE_FUTUR
from noyau.widgets import EntreeDateHeure
from structures.models import Structure
from territoires.models import Commune


class ReglagesJuryForm(forms.ModelForm):
    class Meta:
        model = Jury
        fields = [
            "date_limite_notation",
            "membres_par_candidature",
            "notes_cachees_jusqu_a_deliberation",
            "seuil_desaccord",
            "notes_dans_la_lettre",
            "motif_obligatoire_non_retenue",
        ]
        # Le formulaire d'affectation, sur la même page, a son propre nombre de membres : deux
        # libellés distincts, pour qui parcourt la page champ par champ.
        labels = {
            "membres_par_candidature": _("Nombre de membres par candidature proposé par défaut")
        }
        help_texts = {
            "membres_par_candidature": _(
                "Repris par le formulaire « Affecter les candidatures recevables » ; "
                "une répartition automatique le met à jour."
            )
        }
        widgets = {
            "date_limite_notation": EntreeDateHeure,
        }


class MembreForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    structure = forms.ModelChoiceField(
        label=_("Structure candidate où travaille ce membre (facultatif)"),
        queryset=Structure.objects.none(),
        required=False,
    )
    commune = forms.ModelChoiceField(
        label=_("Commune où ce membre est élu ou travaille (facultatif)"),
        queryset=Commune.objects.none(),
        required=False,
    )

    def __init__(self, *args, appel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.filter(
            candidatures__appel=appel
        ).order_by("nom")
        self.fields["commune"].queryset = (
            Commune.objects.filter(structures__candidatures__appel=appel).distinct().order_by("nom")
        )


class AffectationForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Répartition"), choices=ModeAffectation.choices, widget=forms.RadioSelect
    )
    par_candidature = forms.IntegerField(
        label=_("Nombre de membres à affecter à chaque candidature (répartition automatique)"),
        help_text=_("Vide : le nombre proposé par défaut dans les réglages."),
        min_value=1,
        required=False,
    )


class AjoutAffectationForm(forms.Form):
    membre = forms.ModelChoiceField(label=_("Membre"), queryset=MembreJury.objects.none())

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membre"].queryset = jury.membres.select_related("utilisateur")


CritereFormSet = inlineformset_factory(
    Grille,
    Critere,
    fields=["ordre", "libelle", "aide", "poids", "maximum"],
    extra=1,
    can_delete=True,
    widgets={"aide": forms.Textarea(attrs={"rows": 2})},
    # Ces deux champs n'ont pas de libellé sur le modèle : ceux-ci se traduisent.
    labels={"ordre": _("Ordre"), "poids": _("Poids")},
)


class DeclarationForm(forms.Form):
    CHOIX = [
        ("non", _("Je n'ai pas de conflit d'intérêts")),
        ("oui", _("J'ai un conflit d'intérêts")),
    ]
    conflit = forms.ChoiceField(label=_("Déclaration"), choices=CHOIX, widget=forms.RadioSelect)
    type = forms.ChoiceField(
        label=_("Type de conflit"), choices=[("", "—")] + TypeConflit.choices, required=False
    )
    precision = forms.CharField(
        label=_("Précision (facultative)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("conflit") == "oui" and not donnees.get("type"):
            self.add_error("type", gettext("Précisez le type de conflit d'intérêts."))
        return donnees


class NotesForm(forms.Form):
    """Une note et un commentaire par critère, puis un commentaire général."""

    commentaire = forms.CharField(
        label=_("Commentaire général"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, criteres, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteres = criteres
        existantes = {}
        if evaluation is not None:
            existantes = {note.critere_id: note for note in evaluation.notes.all()}
            self.fields["commentaire"].initial = evaluation.commentaire
        for critere in criteres:
            note = existantes.get(critere.pk)
            self.fields[f"note_{critere.pk}"] = forms.IntegerField(
                label=gettext("%(critere)s (sur %(maximum)s, poids %(poids)s)")
                % {"critere": critere.libelle, "maximum": critere.maximum, "poids": critere.poids},
                help_text=critere.aide,
                min_value=0,
                max_value=critere.maximum,
                required=False,
                initial=note.valeur if note else None,
            )
            self.fields[f"commentaire_{critere.pk}"] = forms.CharField(
                label=gettext("Commentaire — %(critere)s") % {"critere": critere.libelle},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=note.commentaire if note else "",
            )
        self.order_fields([*[n for n in self.fields if n != "commentaire"], "commentaire"])

    def notes(self):
        return {
            critere.pk: (
                self.cleaned_data.get(f"note_{critere.pk}"),
                self.cleaned_data.get(f"commentaire_{critere.pk}", ""),
            )
            for critere in self.criteres
        }


class SeanceForm(forms.Form):
    date = forms.DateTimeField(
        label=_("Date de la séance"),
        widget=EntreeDateHeure,
    )
    presents = forms.ModelMultipleChoiceField(
        label=_("Membres présents"),
        queryset=MembreJury.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    quorum = forms.IntegerField(label=_("Quorum (membres présents requis)"), min_value=1)
    proces_verbal = forms.CharField(
        label=_("Procès-verbal"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    def __init__(self, *args, jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presents"].queryset = jury.membres.select_related("utilisateur")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.now():
            raise forms.ValidationError(gettext(SEANCE_DANS_LE_FUTUR))
        return date


class DecisionsForm(forms.Form):
    depasser_places = forms.BooleanField(
        label=_("Dépasser le nombre de places de l'appel"),
        help_text=_("À cocher seulement si vous retenez plus de candidatures que de places."),
        required=False,
    )
    motif_depassement = forms.CharField(
        label=_("Motif du dépassement du nombre de places"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, lignes, decisions, deliberation, **kwargs):
        super().__init__(*args, **kwargs)
        self.lignes = lignes
        self.fields["motif_depassement"].initial = deliberation.motif_depassement
        self.fields["depasser_places"].initial = bool(deliberation.motif_depassement)
        for ligne in lignes:
            pk = ligne.candidature.pk
            decision = decisions.get(pk)
            self.fields[f"sens_{pk}"] = forms.ChoiceField(
                label=gettext("Décision pour %(nom)s") % {"nom": ligne.candidature.structure.nom},
                choices=[("", "—")] + SensDecision.choices,
                required=False,
                initial=decision.sens if decision else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"motif_{pk}"] = forms.CharField(
                label=gettext("Motif pour %(nom)s") % {"nom": ligne.candidature.structure.nom},
                required=False,
                initial=decision.motif if decision else "",
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def signaler_motifs_manquants(self, manquants):
        """Place chaque message {id de candidature: message} près du champ de son motif ;
        ce qui a été saisi reste dans le formulaire."""
        for pk, message in manquants.items():
            nom = f"motif_{pk}"
            self.add_error(nom, message)
            attributs = self.fields[nom].widget.attrs
            attributs["class"] = attributs.get("class", "") + " is-invalid"
            attributs["aria-invalid"] = "true"
            attributs["aria-describedby"] = f"erreur_{nom}"

    def decisions(self):
        return {
            ligne.candidature.pk: (
                self.cleaned_data.get(f"sens_{ligne.candidature.pk}", ""),
                self.cleaned_data.get(f"motif_{ligne.candidature.pk}", ""),
            )
            for ligne in self.lignes
        }

    def lignes_avec_champs(self):
        return [
            (ligne, self[f"sens_{ligne.candidature.pk}"], self[f"motif_{ligne.candidature.pk}"])
            for ligne in self.lignes
        ]


class PromotionForm(forms.Form):
    motif = forms.CharField(
        label=_("Motif (désistement de…)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez le motif de la promotion (désistement de…).")},
    )
    depasser_places = forms.BooleanField(
        label=_("Dépasser le nombre de places de l'appel"),
        help_text=_(
            "À cocher seulement si toutes les places sont prises et que vous retenez "
            "quand même cette candidature."
        ),
        required=False,
    )
    motif_depassement = forms.CharField(
        label=_("Motif du dépassement"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("depasser_places") and not (donnees.get("motif_depassement") or "").strip():
            self.add_error(
                "motif_depassement", gettext("Indiquez pourquoi le nombre de places est dépassé.")
            )
        return donnees


class RetraitLaureatForm(forms.Form):
    motif = forms.CharField(
        label=_("Pourquoi la candidature retenue est-elle retirée ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez pourquoi la candidature retenue est retirée.")},
    )
    confirmation = forms.BooleanField(
        label=_(
            "Je confirme : la place et l'accompagnement sont abandonnés, sans retour possible."
        ),
        error_messages={"required": _("Cochez la case pour confirmer le retrait.")},
    )
