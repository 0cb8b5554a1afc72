import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from territoires.enums import TypeImport
from territoires.exceptions import CommuneInconnue
from territoires.models import Commune, CommuneRattachee
from territoires.normalisation import forme_de_recherche_saisie
from territoires.selectors import commune_par_code, rechercher_communes

# « Houplines (59) », le libellé que l'autocomplétion écrit dans le champ.
LIBELLE_AVEC_DEPARTEMENT = re.compile(r"^(?P<nom>.*\S)\s*\((?P<departement>\w{2,3})\)$")


def libelle_commune(commune):
    """« Houplines (59) » ; « Lomme (59) » pour la commune associée choisie (voir
    `Commune.rattachement`)."""
    if commune.rattachement:
        return f"{commune.rattachement.nom} ({commune.rattachement.departement})"
    return f"{commune.nom} ({commune.departement})"


def precision_commune(commune):
    """« commune associée de Lille », ou rien pour une commune."""
    if not commune.rattachement:
        return ""
    return gettext("%(type)s de %(commune)s") % {
        "type": commune.rattachement.get_type_display(),
        "commune": commune.nom,
    }


class WidgetCommune(forms.MultiWidget):
    """Le nom de la commune, en clair et avec autocomplétion, et son code INSEE, caché.

    Sans JavaScript, le nom seul suffit quand il ne désigne qu'une commune. Le script
    `territoires/autocompletion-communes.js` fait du champ texte une liste déroulante
    accessible (motif « combobox » de l'ARIA) qui remplit le code.
    """

    use_fieldset = False

    class Media:
        js = ["territoires/autocompletion-communes.js"]
        css = {"all": ["territoires/autocompletion-communes.css"]}

    def __init__(self, attrs=None):
        texte = forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-communes-url": reverse_lazy("territoires:recherche_communes"),
            }
        )
        super().__init__({"": texte, "code": forms.HiddenInput()}, attrs)

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        texte, code = contexte["widget"]["subwidgets"]
        # Le champ texte prend l'identifiant du champ (celui du libellé), le code caché le
        # même suivi de « _code » : c'est ainsi que le script les associe.
        identifiant = texte["attrs"].get("id")
        if identifiant:
            texte["attrs"]["id"] = identifiant.removesuffix("_0")
            code["attrs"]["id"] = identifiant.removesuffix("_0") + "_code"
        code["attrs"] = {
            cle: valeur
            for cle, valeur in code["attrs"].items()
            if cle not in ("required", "aria-describedby", "class")
        }
        return contexte

    def id_for_label(self, id_):
        return id_

    def decompress(self, value):
        commune = value
        if isinstance(value, int):
            commune = Commune.objects.filter(pk=value).first()
        elif isinstance(value, str) and value:
            commune = Commune.objects.filter(code_insee=value).first()
        if isinstance(commune, Commune):
            return [libelle_commune(commune), commune.code_insee]
        return ["", ""]


class ChampCommune(forms.Field):
    """Une commune, choisie dans l'autocomplétion ou saisie par son nom ; renvoie la
    `Commune` en vigueur (un arrondissement ou une commune fusionnée donnent leur commune).

    `propositions` garde les communes possibles quand le nom saisi en désigne plusieurs.
    """

    widget = WidgetCommune
    default_error_messages = {
        "required": _("Indiquez votre commune."),
        "introuvable": _("Aucune commune ne correspond à « %(texte)s »."),
        "plusieurs": _("Plusieurs communes correspondent à « %(texte)s » : choisissez la vôtre."),
        "approchee": _(
            "Aucune commune ne s'appelle « %(texte)s » : choisissez parmi les noms proches."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.propositions = []

    def to_python(self, value):
        texte, code = (value or ["", ""]) if isinstance(value, list) else (value or "", "")
        texte, code = (texte or "").strip(), (code or "").strip()
        if code:
            try:
                commune = commune_par_code(code)[0]
            except CommuneInconnue as erreur:
                raise ValidationError(str(erreur), code="introuvable") from erreur
            commune.rattachement = self._rattachement_saisi(commune, texte)
            return commune
        if not texte:
            return None
        return self._commune_par_nom(texte)

    def has_changed(self, initial, data):
        try:
            commune = self.to_python(data)
        except ValidationError:
            return True
        code_initial = self.widget.decompress(initial)[1]
        return (commune.code_insee if commune else "") != code_initial

    def _rattachement_saisi(self, commune, texte):
        """La commune rattachée dont le nom a été choisi (« Lomme (59) » avec le code de
        Lille ou de Lomme), ou None si c'est la commune elle-même."""
        libelle = LIBELLE_AVEC_DEPARTEMENT.match(texte)
        forme = forme_de_recherche_saisie(libelle["nom"] if libelle else texte)
        if not forme or forme == commune.nom_recherche:
            return None
        return (
            CommuneRattachee.objects.filter(commune=commune, nom_recherche=forme)
            .select_related("commune")
            .first()
        )

    def _commune_par_nom(self, texte):
        departement = ""
        libelle = LIBELLE_AVEC_DEPARTEMENT.match(texte)
        nom = texte
        if libelle:
            nom, departement = libelle["nom"], libelle["departement"]
        candidates = rechercher_communes(nom, limite=20)
        if departement:
            candidates = [c for c in candidates if c.departement == departement.upper()]
        forme = forme_de_recherche_saisie(nom)
        if candidates and all(c.approchee for c in candidates):
            # Une faute de frappe : proposer, jamais choisir à la place de la personne.
            self.propositions = candidates
            raise ValidationError(
                self.error_messages["approchee"], code="approchee", params={"texte": texte}
            )
        exactes = [
            c
            for c in candidates
            if (c.rattachement.nom_recherche if c.rattachement else c.nom_recherche) == forme
        ]
        if len(exactes) == 1:
            return exactes[0]
        if len(candidates) == 1:
            return candidates[0]
        self.propositions = exactes or candidates
        motif = "plusieurs" if self.propositions else "introuvable"
        raise ValidationError(self.error_messages[motif], code=motif, params={"texte": texte})


class EligibiliteForm(forms.Form):
    """`appels` : les appels ouverts, [(slug, titre)] ; sans appel ouvert, pas de choix et les
    règles générales s'appliquent."""

    commune = ChampCommune(
        label=_("Commune de votre structure"),
        help_text=_(
            "Tapez les premières lettres puis choisissez dans la liste, "
            "par exemple « faches thumesnil »."
        ),
    )
    appel = forms.ChoiceField(label=_("Règles à appliquer"), required=False)

    def __init__(self, *args, appels=(), **kwargs):
        super().__init__(*args, **kwargs)
        if appels:
            self.fields["appel"].choices = [
                ("", gettext("Règles générales : moins de 21 000 habitants, aucun QPV"))
            ] + [
                (slug, gettext("Appel « %(titre)s »") % {"titre": titre}) for slug, titre in appels
            ]
        else:
            del self.fields["appel"]


class ImportReferentielForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type de fichier"),
        choices=[
            (TypeImport.POPULATIONS, _("Populations légales INSEE (COM, PMUN, PTOT)")),
            (TypeImport.QPV, _("Liste des QPV de l'ANCT (code_qp, lib_qp, insee_com)")),
            (TypeImport.COMMUNES, _("Communes (format des données livrées)")),
            (TypeImport.CORRESPONDANCES, _("Correspondances d'anciens codes")),
            (TypeImport.EPCI, _("Noms des EPCI (epci_siren, name)")),
        ],
    )
    fichier = forms.FileField(label=_("Fichier CSV"))
    millesime = forms.CharField(
        label=_("Millésime ou version"),
        required=False,
        max_length=20,
        help_text=_(
            "Populations : l'année des populations légales (par exemple 2024). "
            "QPV : la version de la liste (QPV2015, QPV2024) ; vide, elle se déduit des codes."
        ),
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("type") == TypeImport.POPULATIONS and not donnees.get("millesime"):
            self.add_error(
                "millesime", gettext("Indiquez l'année des populations légales du fichier.")
            )
        return donnees
