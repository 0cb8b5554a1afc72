"""Les programmes et leurs appels : les questions et pièces demandées de chaque appel, et le
programme auquel se rattachent les droits des gestionnaires.

Les tables gardent leur nom d'origine (`candidatures_…`) : les modèles viennent de
`candidatures`, leurs lignes n'ont pas bougé.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from journal.transitions import ModeleAEtats, transition_journalisee
from programmes.enums import TYPES_QUESTION_CONDITIONNANTE, EtatAppel, TypeQuestion
from programmes.texte_riche import markdown_en_html
from territoires.models import ReglesEligibiliteMixin


class Programme(models.Model):
    """Un programme porté par des organisations partenaires : ses gestionnaires, ses appels
    (puis, plus tard, son modèle d'accompagnement et ses cohortes)."""

    chemin_du_programme = ""

    nom = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    partenaires = models.TextField(
        _("organisations partenaires"), blank=True, help_text=_("Une organisation par ligne.")
    )
    gestionnaires = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="programmes_geres",
        blank=True,
        db_table="candidatures_programme_gestionnaires",
    )
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "candidatures_programme"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def liste_partenaires(self):
        return [ligne.strip() for ligne in self.partenaires.splitlines() if ligne.strip()]


class AppelQuerySet(models.QuerySet):
    def ouverts(self):
        return self.filter(etat=EtatAppel.OUVERT)


class Appel(ModeleAEtats, ReglesEligibiliteMixin):
    """Un appel à manifestation d'intérêt ; ses règles d'éligibilité viennent du mixin."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="appels")
    titre = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100, unique=True, help_text=_("L'adresse de la page publique de l'appel.")
    )
    description = models.TextField(
        blank=True, help_text=_("Mise en forme Markdown : **gras**, listes, liens, titres (##).")
    )
    ouverture = models.DateTimeField(_("ouverture des dépôts"), null=True, blank=True)
    date_limite = models.DateTimeField(_("date limite de dépôt"), null=True, blank=True)
    nombre_places = models.PositiveSmallIntegerField(_("nombre de places"), null=True, blank=True)
    etat = FSMField(
        max_length=20, choices=EtatAppel.choices, default=EtatAppel.BROUILLON, protected=True
    )
    # Posé quand un gestionnaire enregistre les règles : une copie d'un appel passé doit les
    # faire relire (la liste des QPV en vigueur a pu changer entre-temps).
    regles_verifiees_le = models.DateTimeField(null=True, blank=True)
    publie_le = models.DateTimeField(null=True, blank=True)
    clos_le = models.DateTimeField(null=True, blank=True)
    copie_de = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(auto_now=True)

    objects = AppelQuerySet.as_manager()

    class Meta:
        db_table = "candidatures_appel"
        ordering = ["-date_limite", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ouverture__isnull=True)
                | Q(date_limite__isnull=True)
                | Q(ouverture__lt=models.F("date_limite")),
                name="appel_ouverture_avant_date_limite",
            )
        ]

    def __str__(self):
        return self.titre

    @property
    def description_html(self):
        return markdown_en_html(self.description)

    def accepte_les_depots(self, maintenant=None):
        maintenant = maintenant or timezone.now()
        return (
            self.etat == EtatAppel.OUVERT
            and self.ouverture is not None
            and self.date_limite is not None
            and self.ouverture <= maintenant < self.date_limite
        )

    def manques_pour_publier(self, maintenant=None):
        """Ce qui empêche de publier l'appel, en phrases ; liste vide s'il est prêt."""
        maintenant = maintenant or timezone.now()
        manques = []
        if self.ouverture is None or self.date_limite is None:
            manques.append(gettext("Les dates d'ouverture et de date limite sont à renseigner."))
        elif self.date_limite <= maintenant:
            manques.append(gettext("La date limite est déjà passée : choisissez une date à venir."))
        if not self.questions.exists():
            manques.append(gettext("L'appel n'a encore aucune question."))
        if self.regles_verifiees_le is None:
            manques.append(
                gettext(
                    "Les règles d'éligibilité n'ont pas été vérifiées : ouvrez-les et "
                    "enregistrez-les."
                )
            )
        return manques

    def _est_publiable(self):
        return not self.manques_pour_publier()

    @transition_journalisee(
        field=etat,
        source=EtatAppel.BROUILLON,
        target=EtatAppel.OUVERT,
        conditions=[_est_publiable],
        permission="candidatures.gerer_appel",
    )
    def publier(self, by=None, description=None):
        self.publie_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=EtatAppel.OUVERT,
        target=EtatAppel.CLOS,
        permission="candidatures.gerer_appel",
    )
    def clore(self, by=None, description=None):
        self.clos_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=EtatAppel.CLOS,
        target=EtatAppel.OUVERT,
        permission="candidatures.gerer_appel",
    )
    def rouvrir(self, *, date_limite, by=None, description=None):
        """Un appel clos trop tôt (ou qu'il faut prolonger) reprend les dépôts jusqu'à une
        nouvelle date limite ; une fois l'évaluation lancée, l'appel n'est plus « clos »."""
        self.date_limite = date_limite
        self.clos_le = None

    @transition_journalisee(
        field=etat,
        source=EtatAppel.CLOS,
        target=EtatAppel.EN_EVALUATION,
        permission="candidatures.gerer_appel",
    )
    def lancer_evaluation(self, by=None, description=None):
        pass

    @transition_journalisee(
        field=etat,
        source=EtatAppel.EN_EVALUATION,
        target=EtatAppel.EN_DELIBERATION,
        permission="candidatures.gerer_appel",
    )
    def ouvrir_deliberation(self, by=None, description=None):
        pass

    @transition_journalisee(
        field=etat,
        source=EtatAppel.EN_DELIBERATION,
        target=EtatAppel.DECIDE,
        permission="candidatures.gerer_appel",
    )
    def marquer_decide(self, by=None, description=None):
        pass

    @transition_journalisee(
        field=etat,
        source=EtatAppel.DECIDE,
        target=EtatAppel.ARCHIVE,
        permission="candidatures.gerer_appel",
    )
    def archiver(self, by=None, description=None):
        pass


class Question(models.Model):
    """Une question propre à un appel ; l'ordre est celui du formulaire."""

    appel = models.ForeignKey(Appel, on_delete=models.CASCADE, related_name="questions")
    ordre = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=20, choices=TypeQuestion.choices)
    libelle = models.CharField(_("intitulé"), max_length=300)
    aide = models.TextField(_("texte d'aide"), blank=True)
    obligatoire = models.BooleanField(default=True)
    limite_caracteres = models.PositiveIntegerField(
        _("nombre maximal de caractères"), null=True, blank=True
    )
    choix = models.JSONField(_("choix proposés"), default=list, blank=True)
    # Une question conditionnelle ne s'affiche que si la réponse à une question précédente (à
    # choix ou oui / non) vaut `condition_valeur` (« oui »/« non » pour une question oui / non).
    # SET_NULL : le formulaire refuse de supprimer seule une question dont une autre dépend.
    condition = models.ForeignKey(
        "self",
        verbose_name=_("afficher seulement si la réponse à"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions_conditionnees",
    )
    condition_valeur = models.CharField(_("réponse attendue"), max_length=300, blank=True)

    class Meta:
        db_table = "candidatures_question"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.libelle

    @property
    def nom_de_champ(self):
        return f"q_{self.pk}"

    @property
    def ancre(self):
        """L'identifiant HTML vers lequel mène le panneau « Ce qui manque » : le champ, ou le
        groupe de cases pour les questions à choix."""
        if self.type in (
            TypeQuestion.CHOIX_UNIQUE,
            TypeQuestion.CHOIX_MULTIPLE,
            TypeQuestion.OUI_NON,
        ):
            return f"div_id_{self.nom_de_champ}"
        return f"id_{self.nom_de_champ}"

    @property
    def peut_conditionner(self):
        return self.type in TYPES_QUESTION_CONDITIONNANTE

    def reponses_possibles(self):
        """[(valeur enregistrée dans `condition_valeur`, libellé)] d'une question qui peut en
        conditionner d'autres ; liste vide sinon."""
        if self.type == TypeQuestion.OUI_NON:
            return [("oui", gettext("Oui")), ("non", gettext("Non"))]
        if self.type in (TypeQuestion.CHOIX_UNIQUE, TypeQuestion.CHOIX_MULTIPLE):
            return [(choix, choix) for choix in self.choix]
        return []

    @property
    def libelle_condition_valeur(self):
        """La réponse attendue telle que la lit la structure (« Oui » plutôt que « oui »)."""
        if self.condition is None:
            return ""
        return dict(self.condition.reponses_possibles()).get(
            self.condition_valeur, self.condition_valeur
        )

    def est_affichee(self, reponses):
        """La question est-elle montrée à une candidature qui a répondu `reponses` ? (La
        même règle que `questions_affichees`, sur la chaîne de ses conditions.)"""
        chaine = [self]
        while chaine[-1].condition_id is not None and chaine[-1].condition not in chaine:
            chaine.append(chaine[-1].condition)
        return self.pk in questions_affichees(chaine, reponses)


def reponse_correspond(question, valeur, attendue):
    """La réponse `valeur` (JSON enregistré) à `question` est-elle la réponse `attendue` ?"""
    if question.type == TypeQuestion.OUI_NON:
        return isinstance(valeur, bool) and valeur == (attendue == "oui")
    if question.type == TypeQuestion.CHOIX_MULTIPLE:
        return isinstance(valeur, list) and attendue in valeur
    if question.type == TypeQuestion.CHOIX_UNIQUE:
        return valeur == attendue
    return False


def questions_affichees(questions, reponses):
    """L'ensemble des identifiants des `questions` montrées à une candidature dont les réponses
    sont `reponses` ({identifiant de question en texte: valeur JSON}).

    La seule règle de visibilité, que suivent le formulaire, la complétude, le dépôt, le
    récépissé, les exports et les lectures du jury et des gestionnaires : une question sans
    condition est montrée ; une question conditionnelle l'est si sa condition est montrée
    et que la réponse à celle-ci est la réponse attendue. Une réponse gardée dans une question
    masquée ne compte donc pas, et masque à son tour les questions qui en dépendent.
    """
    par_identifiant = {question.pk: question for question in questions}
    decisions = {}

    def est_montree(question, en_cours=()):
        if question.pk in decisions:
            return decisions[question.pk]
        if question.condition_id is None:
            montree = True
        else:
            condition = par_identifiant.get(question.condition_id)
            montree = (
                condition is not None
                and condition.pk not in en_cours  # une boucle ne montre rien
                and est_montree(condition, (*en_cours, question.pk))
                and reponse_correspond(
                    condition, reponses.get(str(condition.pk)), question.condition_valeur
                )
            )
        decisions[question.pk] = montree
        return montree

    return {question.pk for question in questions if est_montree(question)}


class PieceDemandee(models.Model):
    """Une pièce à joindre à toute candidature de l'appel (statuts, budget…)."""

    appel = models.ForeignKey(Appel, on_delete=models.CASCADE, related_name="pieces_demandees")
    ordre = models.PositiveSmallIntegerField(default=0)
    libelle = models.CharField(_("intitulé"), max_length=300)
    aide = models.TextField(_("texte d'aide"), blank=True)
    obligatoire = models.BooleanField(default=True)

    class Meta:
        db_table = "candidatures_piecedemandee"
        ordering = ["ordre", "pk"]
        verbose_name = _("pièce demandée")
        verbose_name_plural = _("pièces demandées")

    def __str__(self):
        return self.libelle

    @property
    def nom_de_champ(self):
        return f"piece_{self.pk}"

    @property
    def ancre(self):
        return f"id_{self.nom_de_champ}"
