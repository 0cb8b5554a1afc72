import re

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidatures import selectors
from candidatures.enums import EtatCandidature
from candidatures.reponses import champ_de_formulaire, valeur_initiale, valeur_json
from noyau.fichiers import ACCEPT_HTML
from noyau.widgets import EntreeDateHeure
from programmes.enums import TYPES_QUESTION_A_CHOIX, TypeQuestion
from programmes.models import Appel, PieceDemandee, Question
from structures.models import Structure
from structures.validators import normaliser_siret, normaliser_telephone
from territoires.departements import choix_des_departements, nom_du_departement
from territoires.enums import (
    ResultatEligibilite,
    TraitementQpvIntercommunal,
    TypePopulation,
    TypeStructure,
)
from territoires.forms import ChampCommune
from territoires.models import Commune, Epci
from territoires.selectors import versions_qpv_disponibles

# --- Côté candidat -------------------------------------------------------------------------


class FormulaireReponses(forms.Form):
    """Le formulaire d'une candidature, construit depuis les questions de l'appel et ses pièces
    demandées. Les réponses s'enregistrent champ par champ : un champ mal rempli (un nombre
    illisible, un texte trop long) n'empêche pas d'enregistrer les autres."""

    def __init__(self, *args, candidature, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidature = candidature
        self.questions = list(candidature.appel.questions.all())
        # Chaque condition pointe vers une question de la liste : le gabarit lit son libellé
        # sans requête de plus.
        par_identifiant = {question.pk: question for question in self.questions}
        for question in self.questions:
            if question.condition_id in par_identifiant:
                question.condition = par_identifiant[question.condition_id]
        self.pieces_demandees = list(candidature.appel.pieces_demandees.all())
        for question in self.questions:
            champ = champ_de_formulaire(question)
            if question.type == TypeQuestion.FICHIER:
                champ.widget.attrs["accept"] = ACCEPT_HTML
            else:
                champ.initial = valeur_initiale(question, candidature.reponse(question))
            self.fields[question.nom_de_champ] = champ
        for piece in self.pieces_demandees:
            self.fields[piece.nom_de_champ] = forms.FileField(
                label=piece.libelle,
                help_text=piece.aide,
                required=False,
                widget=forms.FileInput(attrs={"accept": ACCEPT_HTML}),
            )

    def champs_de_question(self):
        return [(question, self[question.nom_de_champ]) for question in self.questions]

    def reponses_valides(self):
        """{id de question: valeur JSON ou None} pour chaque champ texte bien rempli."""
        donnees = getattr(self, "cleaned_data", {})
        return {
            question.pk: valeur_json(question, donnees[question.nom_de_champ])
            for question in self.questions
            if question.type != TypeQuestion.FICHIER and question.nom_de_champ in donnees
        }

    def fichiers_envoyes(self):
        """[(nom du champ, fichier, pièce demandée ou None, question ou None)]."""
        envoyes = []
        for question in self.questions:
            fichier = self.files.get(question.nom_de_champ)
            if question.type == TypeQuestion.FICHIER and fichier:
                envoyes.append((question.nom_de_champ, fichier, None, question))
        for piece in self.pieces_demandees:
            fichier = self.files.get(piece.nom_de_champ)
            if fichier:
                envoyes.append((piece.nom_de_champ, fichier, piece, None))
        return envoyes


class StructureForm(forms.ModelForm):
    # Plus long que 14 : on accepte les espaces et les points que l'on tape souvent.
    siret = forms.CharField(
        label="SIRET",
        max_length=30,
        help_text=_(
            "14 chiffres, sur l'avis de situation INSEE ou sur annuaire-entreprises.data.gouv.fr."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    commune = ChampCommune(
        label=_("Commune où la structure est implantée"),
        help_text=_("Tapez les premières lettres puis choisissez dans la liste."),
    )

    class Meta:
        model = Structure
        fields = [
            "nom",
            "type",
            "siret",
            "commune",
            "adresse",
            "code_postal",
            "contact_nom",
            "contact_fonction",
            "contact_email",
            "contact_telephone",
        ]
        labels = {
            "nom": _("Nom de la structure"),
            "type": _("Type de structure"),
            "adresse": _("Adresse"),
            "code_postal": _("Code postal"),
        }
        help_texts = {
            "contact_nom": _("La personne que l'équipe du programme peut appeler."),
        }
        widgets = {
            "code_postal": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "adresse": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_telephone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def clean_siret(self):
        return normaliser_siret(self.cleaned_data["siret"])

    def clean_contact_telephone(self):
        return normaliser_telephone(self.cleaned_data["contact_telephone"])

    def clean_code_postal(self):
        code = self.cleaned_data["code_postal"].strip()
        if not re.fullmatch(r"\d{5}", code):
            raise forms.ValidationError(gettext("Le code postal compte 5 chiffres."))
        # Les codes postaux vont de 01000 (Ain) à 98xxx (outre-mer) : 00000 n'en est pas un.
        if code.startswith("00"):
            raise forms.ValidationError(
                gettext("Ce code postal n'existe pas : il ne commence pas par 00.")
            )
        return code


class InvitationStructureForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique de votre collègue"))


class RetraitForm(forms.Form):
    motif = forms.CharField(
        label=_("Pourquoi retirez-vous la candidature ? (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Back office : appels ------------------------------------------------------------------


class AppelForm(forms.ModelForm):
    class Meta:
        model = Appel
        # L'adresse publique (slug) se tire du titre : personne n'a à l'inventer.
        fields = ["titre", "description", "ouverture", "date_limite", "nombre_places"]
        labels = {"titre": _("Titre"), "description": _("Description")}
        widgets = {
            "ouverture": EntreeDateHeure,
            "date_limite": EntreeDateHeure,
            "description": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "ouverture": _("Heure de Paris."),
            "date_limite": _("Heure de Paris. L'appel se clôt tout seul à cette heure."),
        }

    def clean(self):
        donnees = super().clean()
        ouverture, date_limite = donnees.get("ouverture"), donnees.get("date_limite")
        if ouverture and date_limite and ouverture >= date_limite:
            self.add_error("date_limite", gettext("La date limite doit venir après l'ouverture."))
        return donnees


class ClotureForm(forms.Form):
    motif = forms.CharField(
        label=_("Pourquoi clore avant la date limite ? (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Gardé au journal de l'appel."),
    )


class ReouvertureForm(forms.Form):
    date_limite = forms.DateTimeField(
        label=_("Nouvelle date limite de dépôt"),
        widget=EntreeDateHeure,
        help_text=_("Heure de Paris. L'appel se clôt de nouveau tout seul à cette heure."),
    )
    motif = forms.CharField(
        label=_("Motif de la réouverture"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Gardé au journal de l'appel."),
    )

    def __init__(self, *args, appel, **kwargs):
        super().__init__(*args, **kwargs)
        self.appel = appel

    def clean_date_limite(self):
        date_limite = self.cleaned_data["date_limite"]
        if date_limite <= timezone.now():
            raise forms.ValidationError(gettext("La nouvelle date limite doit être à venir."))
        if self.appel.ouverture is not None and date_limite <= self.appel.ouverture:
            raise forms.ValidationError(
                gettext("La nouvelle date limite doit venir après l'ouverture.")
            )
        return date_limite


class ChampListe(forms.CharField):
    """Une liste tapée une valeur par ligne (ou séparée par des virgules)."""

    def __init__(self, *, separateur_lignes=True, **kwargs):
        self.separateur_lignes = separateur_lignes
        super().__init__(**kwargs)

    def prepare_value(self, valeur):
        if isinstance(valeur, list):
            return ("\n" if self.separateur_lignes else ", ").join(valeur)
        return valeur

    def to_python(self, valeur):
        texte = super().to_python(valeur) or ""
        morceaux = texte.splitlines() if self.separateur_lignes else re.split(r"[,;\s]+", texte)
        return [morceau.strip() for morceau in morceaux if morceau.strip()]

    def has_changed(self, initial, data):
        # Comparer des listes : une ligne vide d'un formset n'a rien de changé quand la case
        # est laissée vide (sinon « [] » diffère de « » et la ligne vide devient obligatoire).
        if self.disabled:
            return False
        initiale = initial if isinstance(initial, list) else self.to_python(initial)
        return initiale != self.to_python(data)


class QuestionForm(forms.ModelForm):
    choix = ChampListe(
        label=_("Choix proposés"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pour un choix unique ou multiple : un choix par ligne."),
    )
    # La liste montre, groupées par question, les réponses de toutes les questions à choix ;
    # le jeu de formulaires vérifie que la réponse choisie est bien une de celles de la
    # question choisie (telle qu'elle est envoyée dans le même enregistrement).
    condition_valeur = forms.CharField(
        label=_("Quand la réponse est"),
        required=False,
        widget=forms.Select,
    )

    class Meta:
        model = Question
        # L'ordre se change par les boutons « Monter » et « Descendre », pas en tapant des numéros.
        fields = [
            "libelle",
            "type",
            "aide",
            "obligatoire",
            "limite_caracteres",
            "choix",
            "condition",
            "condition_valeur",
        ]
        labels = {
            "type": _("Type"),
            "obligatoire": _("Obligatoire"),
            "condition": _("Afficher seulement si la réponse à"),
        }
        help_texts = {
            "condition": _(
                "Facultatif : une question à choix ou oui / non placée avant celle-ci. "
                "Masquée, la question n'est pas obligatoire."
            ),
        }
        widgets = {"aide": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, appel=None, questions_de_l_appel=(), **kwargs):
        super().__init__(*args, **kwargs)
        numeros = {question.pk: numero for numero, question in enumerate(questions_de_l_appel, 1)}
        # La liste ne propose que les questions à choix placées avant celle-ci (toutes pour
        # une question ajoutée, qui prend la dernière place).
        conditionnantes = [
            question
            for question in questions_de_l_appel
            if question.peut_conditionner
            and (
                self.instance.pk is None
                or (question.ordre, question.pk) < (self.instance.ordre, self.instance.pk)
            )
        ]
        condition = self.fields["condition"]
        # Toute question de l'appel est acceptée ici, pour que le refus d'une question qui
        # suit, qui n'est pas à choix ou qui est celle-ci dise pourquoi.
        condition.queryset = Question.objects.filter(appel=appel)
        condition.empty_label = gettext("— Toujours affichée —")
        condition.widget.choices = [("", condition.empty_label)] + [
            (question.pk, f"Q{numeros[question.pk]}. {question.libelle}")
            for question in conditionnantes
        ]
        self.fields["condition_valeur"].widget.choices = [("", "—")] + [
            (
                f"Q{numeros[question.pk]}. {question.libelle}",
                question.reponses_possibles(),
            )
            for question in conditionnantes
        ]

    def clean(self):
        donnees = super().clean()
        type_ = donnees.get("type")
        if type_ in TYPES_QUESTION_A_CHOIX and len(donnees.get("choix") or []) < 2:
            self.add_error("choix", gettext("Proposez au moins deux choix, un par ligne."))
        if type_ not in TYPES_QUESTION_A_CHOIX:
            donnees["choix"] = []
        if type_ != TypeQuestion.TEXTE_LONG:
            donnees["limite_caracteres"] = None
        if donnees.get("condition") is None:
            donnees["condition_valeur"] = ""
        return donnees


class PieceDemandeeForm(forms.ModelForm):
    class Meta:
        model = PieceDemandee
        fields = ["libelle", "aide", "obligatoire"]
        labels = {"obligatoire": _("Obligatoire")}
        widgets = {"aide": forms.Textarea(attrs={"rows": 2})}


class BaseQuestionFormSet(forms.BaseInlineFormSet):
    """Les questions d'un appel ; vérifie les conditions d'après ce qui est envoyé (une
    question dont une autre dépend peut changer de type ou de choix dans le même
    enregistrement)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions_de_l_appel = (
            list(self.instance.questions.all()) if self.instance.pk is not None else []
        )

    def get_form_kwargs(self, index):
        return super().get_form_kwargs(index) | {
            "appel": self.instance if self.instance.pk is not None else None,
            "questions_de_l_appel": self.questions_de_l_appel,
        }

    def clean(self):
        super().clean()
        envoyees = {
            form.instance.pk: form
            for form in self.forms
            if form.instance.pk is not None and hasattr(form, "cleaned_data")
        }
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            condition = form.cleaned_data.get("condition")
            if condition is None:
                continue
            erreur_condition, erreur_valeur = erreurs_de_condition(
                form.instance, condition, form.cleaned_data.get("condition_valeur"), envoyees
            )
            if erreur_condition:
                form.add_error("condition", erreur_condition)
            elif erreur_valeur:
                form.add_error("condition_valeur", erreur_valeur)


def erreurs_de_condition(question, condition, valeur, envoyees):
    """(erreur sur la question choisie, erreur sur la réponse attendue), en français ; None
    quand c'est bon. `envoyees` : {identifiant: formulaire} des questions envoyées, dont on
    lit le type, les choix et la suppression plutôt que ceux de la base."""
    form_condition = envoyees.get(condition.pk)
    if form_condition is not None:
        donnees = form_condition.cleaned_data
        condition = Question(
            pk=condition.pk,
            ordre=condition.ordre,
            libelle=donnees.get("libelle") or condition.libelle,
            type=donnees.get("type") or condition.type,
            # Des choix refusés (moins de deux) laissent ceux de la base : leur erreur suffit.
            choix=donnees["choix"] if "choix" in donnees else condition.choix,
        )
        if donnees.get("DELETE"):
            return (
                gettext(
                    "« %(libelle)s » est supprimée dans ce même enregistrement : choisissez "
                    "une autre question ou « Toujours affichée »."
                )
                % {"libelle": condition.libelle},
                None,
            )
    if question.pk is not None and condition.pk == question.pk:
        return gettext("Une question ne peut pas dépendre de sa propre réponse."), None
    # Une question ajoutée prend la dernière place : toute question existante la précède.
    if question.pk is not None and (condition.ordre, condition.pk) > (question.ordre, question.pk):
        return (
            gettext(
                "« %(libelle)s » vient après cette question : choisissez une question placée "
                "avant elle."
            )
            % {"libelle": condition.libelle},
            None,
        )
    if not condition.peut_conditionner:
        return (
            gettext(
                "« %(libelle)s » est une question « %(type)s » : choisissez une question à "
                "choix unique, à choix multiple ou oui / non."
            )
            % {"libelle": condition.libelle, "type": condition.get_type_display()},
            None,
        )
    possibles = condition.reponses_possibles()
    if not valeur:
        return None, gettext("Choisissez la réponse qui affiche cette question.")
    if valeur not in dict(possibles):
        return None, gettext(
            "« %(valeur)s » n'est pas une réponse possible à « %(libelle)s » : choisissez "
            "parmi %(reponses)s."
        ) % {
            "valeur": valeur,
            "libelle": condition.libelle,
            "reponses": ", ".join(f"« {libelle} »" for _valeur, libelle in possibles),
        }
    return None, None


QuestionFormSet = inlineformset_factory(
    Appel,
    Question,
    form=QuestionForm,
    formset=BaseQuestionFormSet,
    extra=1,
    can_delete=True,
)
PieceDemandeeFormSet = inlineformset_factory(
    Appel, PieceDemandee, form=PieceDemandeeForm, extra=1, can_delete=True
)


class ReglesForm(forms.Form):
    perimetre_epci = forms.MultipleChoiceField(
        label=_("EPCI du périmètre"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        error_messages={
            "invalid_choice": _(
                "Choisissez les EPCI dans la liste : « %(value)s » n'en fait pas partie."
            )
        },
    )
    perimetre_departements = forms.MultipleChoiceField(
        label=_("Départements du périmètre"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "invalid_choice": _(
                "Choisissez les départements dans la liste : « %(value)s » n'en fait pas partie."
            )
        },
    )
    seuil_population = forms.IntegerField(
        label=_("Seuil de population (strictement inférieur)"), min_value=1
    )
    type_population = forms.ChoiceField(
        label=_("Population prise en compte"), choices=TypePopulation.choices
    )
    version_qpv = forms.ChoiceField(
        label=_("Liste des quartiers prioritaires (QPV)"), required=False
    )
    qpv_intercommunal = forms.ChoiceField(
        label=_("Un QPV partagé avec d'autres communes"), choices=TraitementQpvIntercommunal.choices
    )
    types_structure = forms.MultipleChoiceField(
        label=_("Types de structure acceptés"),
        choices=TypeStructure.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Aucune case cochée : tous les types."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Tous les EPCI par leur nom : une liste native, que le clavier parcourt en tapant
        # les premières lettres et qu'un lecteur d'écran annonce, sans SIREN à recopier.
        epci = self.fields["perimetre_epci"]
        epci.choices = list(Epci.objects.order_by("nom", "siren").values_list("siren", "nom"))
        noms = dict(epci.choices)
        choisis = [noms.get(siren, siren) for siren in self.initial.get("perimetre_epci") or []]
        epci.help_text = (
            gettext(
                "Tapez les premières lettres d'un nom pour y aller ; Ctrl (ou Cmd) + clic, ou "
                "Ctrl + Espace au clavier, pour en choisir plusieurs. Ni EPCI ni département : "
                "toute la France."
            )
            + " "
            + (
                gettext("Choisis : %(liste)s.") % {"liste": " ; ".join(choisis)}
                if choisis
                else gettext("Aucun EPCI choisi.")
            )
        )
        # Les départements dont Relais connaît des communes, par leur nom.
        departements = self.fields["perimetre_departements"]
        departements.choices = choix_des_departements(
            Commune.objects.values_list("departement", flat=True).distinct().order_by()
        )
        choisis = [
            nom_du_departement(code) for code in self.initial.get("perimetre_departements") or []
        ]
        departements.help_text = gettext(
            "Comme pour les EPCI : tapez les premières lettres d'un nom, Ctrl (ou Cmd) + clic "
            "pour en choisir plusieurs."
        ) + (
            " " + gettext("Choisis : %(liste)s.") % {"liste": " ; ".join(choisis)}
            if choisis
            else ""
        )
        self.fields["version_qpv"].choices = [("", gettext("La plus récente"))] + [
            (version, version) for version in versions_qpv_disponibles()
        ]


# --- Back office : instruction -------------------------------------------------------------


class DemandeComplementForm(forms.Form):
    message = forms.CharField(
        label=_("Ce que la structure doit compléter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce message lui est envoyé tel quel."),
    )


class IrrecevabiliteForm(forms.Form):
    motif = forms.CharField(
        label=_("Motif d'irrecevabilité"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce motif est envoyé à la structure."),
    )


class ForcageEligibiliteForm(forms.Form):
    resultat = forms.ChoiceField(
        label=_("Éligibilité retenue"), choices=ResultatEligibilite.choices
    )
    motif = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Gardé au journal de la candidature."),
    )


LIMITE_LISTE_COMMUNES = 150


def communes_du_filtre(appel):
    """Les communes proposées par le filtre de la liste : au plus une de plus que la limite,
    ce qui suffit à choisir entre la liste déroulante et le champ du code INSEE."""
    return selectors.communes_des_candidatures(appel, au_plus=LIMITE_LISTE_COMMUNES + 1)


class FiltreCandidaturesForm(forms.Form):
    q = forms.CharField(label=_("Structure ou commune"), required=False)
    etat = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous"))] + EtatCandidature.choices
    )
    eligibilite = forms.ChoiceField(
        label=_("Éligibilité"),
        required=False,
        choices=[("", _("Toutes"))] + ResultatEligibilite.choices,
    )
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    type_structure = forms.ChoiceField(
        label=_("Type de structure"),
        required=False,
        choices=[("", _("Tous"))] + TypeStructure.choices,
    )
    etiquette = forms.TypedChoiceField(
        label=_("Étiquette"), required=False, coerce=int, empty_value=None, choices=[]
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("-depot", _("Dépôt le plus récent")),
            ("depot", _("Dépôt le plus ancien")),
            ("structure", _("Structure (A → Z)")),
            ("-structure", _("Structure (Z → A)")),
            ("commune", _("Commune (A → Z)")),
            ("-commune", _("Commune (Z → A)")),
            ("etat", _("État")),
        ],
    )

    def __init__(self, *args, communes, etiquettes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Les étiquettes du programme (annotations) : le filtre n'en propose pas d'autres.
        self.etiquettes = list(etiquettes)
        self.fields["etiquette"].choices = [("", gettext("Toutes"))] + [
            (etiquette.pk, etiquette.nom) for etiquette in self.etiquettes
        ]
        if len(communes) > LIMITE_LISTE_COMMUNES:
            # Un appel national touche des milliers de communes : une liste déroulante de cette
            # taille pèse des centaines de kilo-octets et des secondes de rendu par page.
            self.fields["commune"] = forms.CharField(
                label=_("Code INSEE de la commune"),
                required=False,
                max_length=5,
                help_text=_("Ou cherchez son nom dans « Structure ou commune »."),
            )
            return
        self.fields["commune"].choices = [("", gettext("Toutes"))] + [
            (code, f"{nom} ({code})") for code, nom in communes
        ]

    def criteres(self):
        """Les filtres valides, à passer au sélecteur (les invalides sont ignorés)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            nom: valeur
            for nom, valeur in getattr(self, "cleaned_data", {}).items()
            if valeur and nom != "q"
        } | ({"recherche": self.cleaned_data["q"]} if self.cleaned_data.get("q") else {})


class ChoixDesVersionsForm(forms.Form):
    """Les deux dépôts que la page « Versions déposées » compare."""

    de = forms.TypedChoiceField(label=_("Comparer le dépôt"), coerce=int)
    a = forms.TypedChoiceField(label=_("avec le dépôt"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choix = [
            (
                v.numero,
                gettext("n° %(numero)s du %(date)s")
                % {
                    "numero": v.numero,
                    "date": date_format(timezone.localtime(v.deposee_le), "DATETIME_FORMAT"),
                },
            )
            for v in versions
        ]
        for nom in ("de", "a"):
            self.fields[nom].choices = choix
            self.fields[nom].widget.attrs["class"] = "form-select"

    def clean(self):
        donnees = super().clean()
        if donnees.get("de") is not None and donnees.get("de") == donnees.get("a"):
            raise forms.ValidationError(gettext("Choisissez deux dépôts différents."))
        return donnees
