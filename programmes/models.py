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
from programmes.enums import EtatAppel, TypeQuestion
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
