"""Le jury d'un appel : sa grille, ses membres, les affectations, les déclarations de conflit
d'intérêts, les évaluations et leurs notes, puis la délibération et ses décisions.

Les méthodes @transition ne font que changer l'état ; verrous, droits, journal et courriels
sont l'affaire de `evaluation.services`.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from candidatures.models import stockage_des_pieces_jointes
from evaluation.enums import (
    EtatEvaluation,
    ModeAffectation,
    OrigineAffectation,
    SensDecision,
    TypeConflit,
)
from journal.transitions import ModeleAEtats, transition_journalisee


class Grille(models.Model):
    """La grille de notation d'un appel ; le total d'un membre est ramené sur 20."""

    appel = models.OneToOneField(
        "programmes.Appel", on_delete=models.CASCADE, related_name="grille"
    )
    modifiee_le = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Grille de {self.appel}"


class Critere(models.Model):
    grille = models.ForeignKey(Grille, on_delete=models.CASCADE, related_name="criteres")
    ordre = models.PositiveSmallIntegerField(default=0)
    libelle = models.CharField(_("intitulé"), max_length=200)
    aide = models.TextField(_("consigne de notation"), blank=True)
    poids = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    maximum = models.PositiveSmallIntegerField(
        _("note maximale"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = _("critère")

    def __str__(self):
        return self.libelle


class Jury(models.Model):
    """Le jury d'un appel et ses réglages."""

    chemin_du_programme = "appel__programme"

    appel = models.OneToOneField("programmes.Appel", on_delete=models.CASCADE, related_name="jury")
    date_limite_notation = models.DateTimeField(_("date limite de notation"), null=True, blank=True)
    mode_affectation = models.CharField(
        max_length=20, choices=ModeAffectation.choices, default=ModeAffectation.TOUS
    )
    membres_par_candidature = models.PositiveSmallIntegerField(
        _("membres par candidature (répartition automatique)"), default=3
    )
    notes_cachees_jusqu_a_deliberation = models.BooleanField(
        _("cacher les notes des autres membres jusqu'à la délibération"),
        default=False,
        help_text=_("Sinon, un membre voit les notes des autres dès qu'il a validé les siennes."),
    )
    seuil_desaccord = models.DecimalField(
        _("seuil de désaccord (écart type, sur 20)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    notes_dans_la_lettre = models.BooleanField(
        _("joindre à la lettre de décision les notes de la structure sur la grille"), default=False
    )
    motif_obligatoire_non_retenue = models.BooleanField(
        _("exiger un motif pour chaque candidature non retenue"),
        default=True,
        help_text=_("Le motif figure dans la lettre de décision envoyée à la structure."),
    )
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("jurys")

    def __str__(self):
        return f"Jury de {self.appel}"

    def notation_ouverte(self, maintenant=None):
        return (
            self.date_limite_notation is None
            or (maintenant or timezone.now()) < self.date_limite_notation
        )


class MembreJury(models.Model):
    """Un membre d'un jury. Le compte est rattaché dès qu'il existe (invitation acceptée).

    `structure` et `commune` disent ses attaches : elles servent à suggérer les conflits.
    """

    chemin_du_programme = "jury__appel__programme"

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="membres")
    email = models.EmailField(_("adresse électronique"))
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sieges_jury",
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("La structure où travaille ce membre, s'il y en a une parmi les candidates."),
    )
    commune = models.ForeignKey(
        "territoires.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("La commune où ce membre est élu ou travaille."),
    )
    ajoute_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        constraints = [
            models.UniqueConstraint(fields=["jury", "email"], name="membre_jury_unique_par_email")
        ]

    def __str__(self):
        if self.utilisateur_id:
            return self.utilisateur.get_full_name() or self.email
        return self.email


class Affectation(models.Model):
    """Une candidature confiée à un membre du jury."""

    chemin_du_programme = "candidature__appel__programme"

    membre = models.ForeignKey(MembreJury, on_delete=models.CASCADE, related_name="affectations")
    candidature = models.ForeignKey(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="affectations"
    )
    origine = models.CharField(
        max_length=20, choices=OrigineAffectation.choices, default=OrigineAffectation.MANUELLE
    )
    creee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["candidature_id", "membre_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membre", "candidature"], name="affectation_unique_par_membre"
            )
        ]

    def __str__(self):
        return f"{self.membre} — {self.candidature}"


class ConflitInterets(models.Model):
    """La déclaration d'un membre sur une candidature : pas de conflit, ou un conflit typé.

    Un membre en conflit ne voit de la candidature que son nom et ne la note pas.
    """

    membre = models.ForeignKey(MembreJury, on_delete=models.CASCADE, related_name="declarations")
    candidature = models.ForeignKey(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="declarations_conflit"
    )
    en_conflit = models.BooleanField()
    type = models.CharField(max_length=20, choices=TypeConflit.choices, blank=True)
    precision = models.TextField(_("précision"), blank=True)
    declare_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("déclaration de conflit d'intérêts")
        verbose_name_plural = _("déclarations de conflit d'intérêts")
        constraints = [
            models.UniqueConstraint(
                fields=["membre", "candidature"], name="une_declaration_par_membre"
            ),
            models.CheckConstraint(
                condition=models.Q(en_conflit=False, type="")
                | (models.Q(en_conflit=True) & ~models.Q(type="")),
                name="conflit_type_si_et_seulement_si_en_conflit",
            ),
        ]

    def __str__(self):
        return f"{self.membre} — {self.candidature} : {'conflit' if self.en_conflit else 'aucun'}"


class Evaluation(ModeleAEtats, models.Model):
    """Les notes d'un membre sur une candidature : brouillon, puis validées.

    `total_sur_20` = Σ(note / maximum × poids) / Σ poids × 20, recalculé (en SQL) à chaque
    enregistrement ; le classement agrège cette colonne.
    """

    chemin_du_programme = "affectation__candidature__appel__programme"

    affectation = models.OneToOneField(
        Affectation, on_delete=models.CASCADE, related_name="evaluation"
    )
    etat = FSMField(
        max_length=20,
        choices=EtatEvaluation.choices,
        default=EtatEvaluation.BROUILLON,
        protected=True,
    )
    commentaire = models.TextField(_("commentaire général"), blank=True)
    total_sur_20 = models.FloatField(null=True, blank=True)
    validee_le = models.DateTimeField(null=True, blank=True)
    modifiee_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("évaluation")

    def __str__(self):
        return f"Évaluation de {self.affectation}"

    @transition_journalisee(
        field=etat,
        source=EtatEvaluation.BROUILLON,
        target=EtatEvaluation.VALIDEE,
        permission="evaluation.noter",
    )
    def valider(self, by=None, description=None):
        self.validee_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=EtatEvaluation.VALIDEE,
        target=EtatEvaluation.BROUILLON,
        permission="evaluation.noter",
    )
    def repasser_en_brouillon(self, by=None, description=None):
        """Le membre reprend ses notes validées en brouillon : elles ne comptent plus au
        classement jusqu'à ce qu'il les valide de nouveau."""
        self.validee_le = None


class Note(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="notes")
    critere = models.ForeignKey(Critere, on_delete=models.CASCADE, related_name="notes")
    valeur = models.PositiveSmallIntegerField()
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["critere__ordre", "critere_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "critere"], name="une_note_par_critere")
        ]

    def __str__(self):
        return f"{self.critere} : {self.valeur}"


class Deliberation(models.Model):
    """La séance de délibération d'un appel : présents, quorum, procès-verbal, publication."""

    chemin_du_programme = "appel__programme"

    appel = models.OneToOneField(
        "programmes.Appel", on_delete=models.CASCADE, related_name="deliberation"
    )
    date = models.DateTimeField(_("date de la séance"), null=True, blank=True)
    membres_presents = models.ManyToManyField(
        MembreJury, related_name="deliberations", blank=True, verbose_name=_("membres présents")
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum (membres présents requis)"), default=1, validators=[MinValueValidator(1)]
    )
    proces_verbal = models.TextField(_("procès-verbal"), blank=True)
    motif_depassement = models.TextField(
        _("motif du dépassement du nombre de places"),
        blank=True,
        help_text=_("Obligatoire si plus de candidatures sont retenues que de places."),
    )
    publiee_le = models.DateTimeField(null=True, blank=True)
    publiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("délibération")

    def __str__(self):
        return f"Délibération de {self.appel}"

    @property
    def est_publiee(self):
        return self.publiee_le is not None


class Recusation(models.Model):
    """Un membre présent à la séance qui ne prend pas part à la décision sur une candidature :
    conflit déclaré, ou attache (structure, commune, compte) qu'il n'a pas écartée.

    Relevé à l'enregistrement de la séance, d'après les présents ; le procès-verbal le liste
    candidature par candidature."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="recusations"
    )
    membre = models.ForeignKey(MembreJury, on_delete=models.CASCADE, related_name="recusations")
    candidature = models.ForeignKey(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="recusations_seance"
    )
    motif = models.CharField(max_length=300)

    class Meta:
        ordering = ["candidature_id", "membre__email"]
        verbose_name = _("récusation en séance")
        verbose_name_plural = _("récusations en séance")
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "membre", "candidature"],
                name="une_recusation_par_membre_et_candidature",
            )
        ]

    def __str__(self):
        return f"{self.membre} récusé pour {self.candidature}"


def chemin_lettre(decision, nom_original):
    """Un nom imprévisible sous le dossier de l'appel, comme les pièces jointes."""
    return f"lettres/appel-{decision.deliberation.appel_id}/{uuid.uuid4().hex}.pdf"


def stockage_des_lettres():
    """Le stockage privé des pièces jointes : les lettres ne se servent que par une vue qui
    vérifie le droit de lire la candidature."""
    return stockage_des_pieces_jointes()


class Decision(models.Model):
    """La décision de la délibération sur une candidature recevable ; appliquée à la
    publication des résultats par la transition de la candidature."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="decisions"
    )
    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="decision_jury"
    )
    sens = models.CharField(_("décision"), max_length=20, choices=SensDecision.choices)
    motif = models.TextField(blank=True)
    # L'ordre de la liste d'attente, fixé à la publication d'après le classement.
    rang_liste_attente = models.PositiveSmallIntegerField(null=True, blank=True)
    promue_le = models.DateTimeField(null=True, blank=True)
    # La lettre envoyée à la publication, gardée telle quelle : la structure et les
    # gestionnaires la retrouvent sur la page de la candidature.
    lettre = models.FileField(
        _("lettre de décision"),
        upload_to=chemin_lettre,
        storage=stockage_des_lettres,
        max_length=255,
        blank=True,
    )
    lettre_editee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deliberation_id", "sens", "rang_liste_attente", "pk"]
        verbose_name = _("décision")

    def __str__(self):
        return f"{self.candidature} : {self.get_sens_display()}"


class AgregatsDuJury(models.Model):
    """Les agrégats des notes qui comptent d'une candidature (validées, d'un membre sans
    conflit déclaré) et le nombre de ses récusations, tels que le classement et l'API les
    lisent. Recalculés en SQL (`evaluation.agregats_du_jury`) dans la transaction même de
    l'écriture qui les change : une évaluation enregistrée, validée, repassée en brouillon ou
    effacée, une déclaration de conflit. Pas de ligne : aucune note, aucune récusation."""

    candidature = models.OneToOneField(
        "candidatures.Candidature",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="agregats_jury",
    )
    moyenne = models.FloatField(null=True)
    mediane = models.FloatField(null=True)
    ecart_type = models.FloatField(null=True)
    nombre_notes = models.PositiveIntegerField(default=0)
    nombre_recusations = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("agrégats du jury")
        verbose_name_plural = _("agrégats du jury")

    def __str__(self):
        return f"{self.candidature_id} : {self.nombre_notes} note(s)"
