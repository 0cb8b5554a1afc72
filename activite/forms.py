import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activite.enums import TYPES_PARCOURS, TYPES_SEANCE, Genre
from activite.importation import CODE_VALIDE
from activite.models import Action, Beneficiaire, Theme
from noyau.widgets import ChampFichiers, EntreeDate, FichiersMultiples
from territoires.forms import ChampCommune
from territoires.models import Commune
from territoires.normalisation import code_insee_normalise

SEPARATEURS = re.compile(r"[\s,;]+")


class ChampCommuneDeResidence(ChampCommune):
    """La commune de résidence d'un bénéficiaire, cherchée par son nom (autocomplétion au
    clavier, ou nom seul sans JavaScript) ; le code INSEE est ce qui est enregistré. Un code
    INSEE tapé tel quel est accepté aussi."""

    default_error_messages = {
        "introuvable": _("Aucune commune ne correspond à « %(texte)s » : vérifiez l'orthographe."),
        "plusieurs": _(
            "Plusieurs communes correspondent à « %(texte)s » : choisissez dans la "
            "liste, ou ajoutez le département entre parenthèses, comme « Houplines (59) »."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commune de résidence"))
        kwargs.setdefault(
            "help_text", _("Facultatif. Tapez le début du nom, puis choisissez dans la liste.")
        )
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        texte, code = value if isinstance(value, list) else [value, ""]
        code_tape = code_insee_normalise((texte or "").strip())
        if not (code or "").strip() and code_tape:
            if Commune.objects.filter(code_insee=code_tape).exists():
                value = ["", code_tape]
        return super().to_python(value)


def _champ_annee():
    return forms.IntegerField(
        label=_("Année de naissance"),
        required=False,
        min_value=1900,
        max_value=timezone.localdate().year,
        help_text=_("Facultatif ; l'année seule, jamais la date complète."),
    )


class BeneficiaireForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=30,
        help_text=_("Laissez vide pour qu'un code soit généré. Jamais de nom ni de contact."),
    )
    genre = forms.ChoiceField(label=_("Genre"), choices=Genre.choices, initial=Genre.NON_RENSEIGNE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee_naissance"] = _champ_annee()
        self.fields["commune"] = ChampCommuneDeResidence()

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code and not CODE_VALIDE.match(code):
            raise forms.ValidationError(
                _("Lettres sans accent, chiffres, tiret, point ou souligné, sans espace.")
            )
        return code


class NouveauParticipantForm(forms.Form):
    """Une ligne « nouveau participant » sous le formulaire d'action ; vide, elle est ignorée.

    Les libellés sont ceux des colonnes du tableau ; chaque champ garde un nom accessible
    (libellé masqué « Code du nouveau participant 2 ») posé par le gabarit."""

    code = forms.CharField(label=_("Code"), required=False, max_length=30)
    genre = forms.ChoiceField(label=_("Genre"), choices=[("", "—"), *Genre.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee_naissance"] = _champ_annee()
        self.fields["annee_naissance"].help_text = ""
        self.fields["commune"] = ChampCommuneDeResidence(help_text="")
        for nom, champ in self.fields.items():
            champ.widget.attrs["class"] = "form-select" if nom == "genre" else "form-control"

    @property
    def est_vide(self):
        donnees = getattr(self, "cleaned_data", {})
        return not any(
            donnees.get(champ) for champ in ("code", "genre", "annee_naissance", "commune")
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code and not CODE_VALIDE.match(code):
            raise forms.ValidationError(
                _("Lettres sans accent, chiffres, tiret, point ou souligné, sans espace.")
            )
        return code


LIGNES_AU_PLUS = 30
NouveauxParticipants = forms.formset_factory(
    NouveauParticipantForm, extra=1, max_num=LIGNES_AU_PLUS, validate_max=True
)


def participants_avec_une_ligne_de_plus(formset_lie):
    """Le formulaire des nouveaux participants tel qu'il a été tapé, plus une ligne vide :
    ce que renvoie le bouton « Ajouter une ligne » (sans JavaScript). Non lié : rien n'est
    validé, aucun message d'erreur ne s'affiche encore."""
    lignes = [
        {nom: ligne[nom].data for nom in ligne.fields}
        for ligne in formset_lie.forms[: LIGNES_AU_PLUS - 1]
    ]
    formset = NouveauxParticipants(initial=lignes, prefix=formset_lie.prefix)
    # La page revient sur la ligne ajoutée : le clavier reprend là où il en était.
    formset.forms[-1].fields["code"].widget.attrs["autofocus"] = True
    return formset


class CodesParticipantsMixin:
    """Le champ « codes des participants déjà connus », lu en bénéficiaires de la structure."""

    def _ajouter_champ_codes(self):
        self.fields["codes"] = forms.CharField(
            label=_("Participants déjà enregistrés (codes)"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "list": "codes-connus"}),
            help_text=_(
                "Les codes séparés par des espaces ou des virgules, par exemple : "
                "P0001 P0007 P0012."
            ),
        )

    def clean_codes(self):
        codes = [c for c in SEPARATEURS.split(self.cleaned_data.get("codes", "")) if c]
        connus = {
            b.code: b for b in Beneficiaire.objects.filter(structure=self.structure, code__in=codes)
        }
        inconnus = [c for c in codes if c not in connus]
        if inconnus:
            raise forms.ValidationError(
                gettext(
                    "Codes inconnus dans cette structure : %(codes)s. Ajoutez ces personnes "
                    "comme nouveaux participants."
                )
                % {"codes": ", ".join(inconnus)}
            )
        return [connus[c] for c in dict.fromkeys(codes)]


class ActionForm(CodesParticipantsMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = ["type", "theme", "date_debut", "date_fin", "duree_heures"]
        widgets = {
            "date_debut": EntreeDate,
            "date_fin": EntreeDate,
        }
        labels = {"type": _("Type"), "date_debut": _("Date (début du parcours)")}
        help_texts = {
            "date_fin": _("Pour un parcours seulement."),
            "duree_heures": _("Pour un parcours, le total des heures de toutes ses séances."),
        }

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        themes = Theme.objects.filter(actif=True)
        if self.instance.theme_id:
            themes = Theme.objects.filter(actif=True) | Theme.objects.filter(
                pk=self.instance.theme_id
            )
        self.fields["theme"].queryset = themes
        self.fields["theme"].label = _("Thème")
        self.fields["theme"].empty_label = _("— Sans thème —")
        self.fields["duree_heures"].localize = True
        self.fields["duree_heures"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self._ajouter_champ_codes()

    def clean_duree_heures(self):
        duree = self.cleaned_data["duree_heures"]
        if duree is not None and duree <= 0:
            raise forms.ValidationError(_("La durée doit être positive."))
        return duree

    def clean(self):
        donnees = super().clean()
        type_action = donnees.get("type")
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if type_action in TYPES_SEANCE and fin:
            self.add_error("date_fin", gettext("Un atelier ou une permanence tient en un jour."))
        if type_action in TYPES_PARCOURS:
            if not fin:
                self.add_error(
                    "date_fin", gettext("Indiquez la date de la dernière séance du parcours.")
                )
            elif debut and fin < debut:
                self.add_error("date_fin", gettext("La fin précède le début."))
        return donnees


class AjoutParticipantsForm(CodesParticipantsMixin, forms.Form):
    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        self._ajouter_champ_codes()


class ListeAttenteForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=EntreeDate,
        initial=timezone.localdate,
    )
    nombre = forms.IntegerField(label=_("Personnes en attente"), min_value=0)


class ImportForm(forms.Form):
    fichiers = ChampFichiers(
        label=_("Classeur XLSX, ou fichiers CSV"),
        help_text=_(
            "Un classeur aux feuilles beneficiaires, actions, participations et "
            "liste_attente (facultative), ou les fichiers CSV de mêmes noms."
        ),
        widget=FichiersMultiples(attrs={"accept": ".xlsx,.csv"}),
    )
    remplacer = forms.BooleanField(
        label=_("Remplacer toute l'activité déjà enregistrée pour la structure"),
        required=False,
    )
    essai = forms.BooleanField(label=_("Vérifier seulement, sans rien enregistrer"), required=False)


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["libelle", "ordre", "actif"]
        labels = {"ordre": _("Ordre")}
