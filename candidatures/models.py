"""Les candidatures des structures aux appels et leurs pièces jointes.

Les méthodes @transition ne font que changer l'état et les champs qui vont avec ; les courriels,
le journal des événements et les verrous sont l'affaire de `candidatures.services`.
"""

import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from candidatures import completude
from candidatures.enums import ETATS_AVANT_DECISION, ETATS_MODIFIABLES, EtatCandidature
from journal.transitions import ModeleAEtats, transition_journalisee
from programmes.models import Appel, PieceDemandee, Question
from structures.models import Structure
from territoires.enums import ResultatEligibilite


def _appel_accepte_les_depots(candidature):
    return candidature.appel.accepte_les_depots()


def _est_complete(candidature):
    return not candidature.manques()


class Candidature(ModeleAEtats, models.Model):
    """La candidature d'une structure à un appel.

    `reponses` : {identifiant de question (texte): valeur JSON}. `eligibilite` : la réponse de
    la règle d'éligibilité figée au dépôt ; elle n'est jamais réécrite ensuite, un forçage par
    un gestionnaire se note à côté et donne `resultat_eligibilite`.
    """

    chemin_du_programme = "appel__programme"

    appel = models.ForeignKey(Appel, on_delete=models.PROTECT, related_name="candidatures")
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="candidatures")
    etat = FSMField(
        max_length=20,
        choices=EtatCandidature.choices,
        default=EtatCandidature.BROUILLON,
        protected=True,
        db_index=True,
    )
    reponses = models.JSONField(default=dict, blank=True)
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    creee_le = models.DateTimeField(default=timezone.now)
    modifiee_le = models.DateTimeField(auto_now=True)
    brouillon_enregistre_le = models.DateTimeField(null=True, blank=True)
    premier_depot_le = models.DateTimeField(null=True, blank=True)
    deposee_le = models.DateTimeField(_("dernier dépôt le"), null=True, blank=True, db_index=True)

    eligibilite = models.JSONField(_("éligibilité au dépôt"), default=dict, blank=True)
    resultat_eligibilite = models.CharField(
        _("éligibilité"), max_length=20, choices=ResultatEligibilite.choices, blank=True
    )
    eligibilite_forcee_le = models.DateTimeField(null=True, blank=True)
    eligibilite_forcee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    motif_forcage_eligibilite = models.TextField(blank=True)

    demande_complement = models.TextField(_("message de la demande de complément"), blank=True)
    motif_irrecevabilite = models.TextField(blank=True)
    motif_retrait = models.TextField(blank=True)
    recevabilite_decidee_le = models.DateTimeField(null=True, blank=True)
    decidee_le = models.DateTimeField(null=True, blank=True)
    retiree_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deposee_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appel", "structure"], name="une_candidature_par_structure_et_appel"
            )
        ]
        indexes = [
            # La liste filtrée par état d'un appel compte ses lignes dans l'index seul (sans
            # lire la table) : 8 pages lues au lieu de 601 pour 10 000 candidatures.
            models.Index(fields=["appel", "etat"], name="candidature_appel_etat"),
        ]

    def __str__(self):
        return f"{self.structure} — {self.appel}"

    @property
    def reference(self):
        return f"REL-{self.pk:06d}"

    @property
    def est_modifiable(self):
        return self.etat in ETATS_MODIFIABLES

    @property
    def eligibilite_est_forcee(self):
        return self.eligibilite_forcee_le is not None

    @property
    def resultat_eligibilite_calcule(self):
        return self.eligibilite.get("result", "")

    def manques(self):
        return completude.manques(self)

    def reponse(self, question):
        return self.reponses.get(str(question.pk))

    # --- Dépôt et instruction -------------------------------------------------------------

    @transition_journalisee(
        field=etat,
        source=EtatCandidature.BROUILLON,
        target=EtatCandidature.DEPOSEE,
        conditions=[_appel_accepte_les_depots, _est_complete],
        permission="candidatures.deposer_candidature",
    )
    def deposer(self, *, eligibilite, by=None, description=None):
        self._noter_depot(eligibilite)

    @transition_journalisee(
        field=etat,
        source=EtatCandidature.A_COMPLETER,
        target=EtatCandidature.DEPOSEE,
        conditions=[_est_complete],
        permission="candidatures.deposer_candidature",
    )
    def redeposer(self, *, eligibilite, by=None, description=None):
        self._noter_depot(eligibilite)

    def _noter_depot(self, eligibilite):
        maintenant = timezone.now()
        self.premier_depot_le = self.premier_depot_le or maintenant
        self.deposee_le = maintenant
        self.eligibilite = eligibilite
        if not self.eligibilite_est_forcee:
            self.resultat_eligibilite = eligibilite.get("result", "")

    @transition_journalisee(
        field=etat,
        source=EtatCandidature.DEPOSEE,
        target=EtatCandidature.A_COMPLETER,
        permission="candidatures.instruire_candidature",
    )
    def demander_complement(self, *, message, by=None, description=None):
        self.demande_complement = message

    @transition_journalisee(
        field=etat,
        source=EtatCandidature.DEPOSEE,
        target=EtatCandidature.IRRECEVABLE,
        permission="candidatures.instruire_candidature",
    )
    def declarer_irrecevable(self, by=None, description=None):
        # Le motif du journal est celui qu'on écrit à la structure.
        self.motif_irrecevabilite = description or ""
        self.recevabilite_decidee_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=EtatCandidature.DEPOSEE,
        target=EtatCandidature.RECEVABLE,
        permission="candidatures.instruire_candidature",
    )
    def declarer_recevable(self, by=None, description=None):
        self.recevabilite_decidee_le = timezone.now()

    # --- Délibération (l'interface arrive avec le jury) ------------------------------------

    @transition_journalisee(
        field=etat,
        source=[EtatCandidature.RECEVABLE, EtatCandidature.LISTE_ATTENTE],
        target=EtatCandidature.RETENUE,
        permission="candidatures.decider_candidature",
    )
    def retenir(self, by=None, description=None):
        self.decidee_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=EtatCandidature.RECEVABLE,
        target=EtatCandidature.LISTE_ATTENTE,
        permission="candidatures.decider_candidature",
    )
    def mettre_en_liste_attente(self, by=None, description=None):
        self.decidee_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=EtatCandidature.RECEVABLE,
        target=EtatCandidature.NON_RETENUE,
        permission="candidatures.decider_candidature",
    )
    def ne_pas_retenir(self, by=None, description=None):
        self.decidee_le = timezone.now()

    # --- Retrait --------------------------------------------------------------------------

    @transition_journalisee(
        field=etat,
        source=EtatCandidature.RETENUE,
        target=EtatCandidature.RETIREE,
        permission="candidatures.retirer_laureat",
    )
    def retirer_laureat(self, by=None, description=None):
        """Un lauréat renonce à sa place, de lui-même ou par un gestionnaire pour lui ; le
        motif (celui du journal) est obligatoire (le service le vérifie), la place se libère."""
        self.motif_retrait = description or ""
        self.retiree_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=ETATS_AVANT_DECISION,
        target=EtatCandidature.RETIREE,
        permission="candidatures.retirer_candidature",
    )
    def retirer(self, *, motif_retrait="", by=None, description=None):
        # Le motif gardé est celui que la structure donne, pas le « Retrait » du journal.
        self.motif_retrait = motif_retrait
        self.retiree_le = timezone.now()


def chemin_piece_jointe(piece, nom_original):
    """Un nom imprévisible sous le dossier de la candidature ; le nom d'origine est gardé en
    base pour le téléchargement."""
    extension = PurePosixPath(nom_original).suffix.lower()
    return (
        f"candidatures/appel-{piece.candidature.appel_id}/candidature-{piece.candidature_id}/"
        f"{uuid.uuid4().hex}{extension}"
    )


def stockage_des_pieces_jointes():
    """Le stockage « pieces_jointes » s'il est déclaré dans STORAGES (en production : un
    bucket S3 privé, hors de toute URL publique), sinon le stockage par défaut."""
    from django.core.files.storage import InvalidStorageError, storages

    try:
        return storages["pieces_jointes"]
    except InvalidStorageError:
        return storages["default"]


class PieceJointe(models.Model):
    """Un fichier joint à une candidature, pour une pièce demandée ou une question « fichier ».

    Stocké par l'API de stockage de Django (disque ou S3) ; seules les vues qui vérifient le
    droit de lire la candidature le servent.
    """

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="pieces_jointes"
    )
    piece_demandee = models.ForeignKey(
        PieceDemandee, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    fichier = models.FileField(
        upload_to=chemin_piece_jointe, storage=stockage_des_pieces_jointes, max_length=255
    )
    nom_original = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField()
    ajoutee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ajoutee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ajoutee_le", "pk"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        constraints = [
            models.CheckConstraint(
                condition=Q(piece_demandee__isnull=True, question__isnull=False)
                | Q(piece_demandee__isnull=False, question__isnull=True),
                name="piece_jointe_pour_une_piece_ou_une_question",
            ),
            models.UniqueConstraint(
                fields=["candidature", "piece_demandee"],
                condition=Q(piece_demandee__isnull=False),
                name="un_fichier_par_piece_demandee",
            ),
            models.UniqueConstraint(
                fields=["candidature", "question"],
                condition=Q(question__isnull=False),
                name="un_fichier_par_question",
            ),
        ]

    def __str__(self):
        return self.nom_original

    @property
    def nom_de_champ(self):
        if self.piece_demandee_id:
            return f"piece_{self.piece_demandee_id}"
        return f"q_{self.question_id}"


@dataclass(frozen=True)
class QuestionFigee:
    """Une question telle qu'elle était au dépôt : ce que lisent l'affichage des réponses et
    le récépissé (`pk`, `libelle`, `type`, `choix`), et sa condition d'alors (la question dont
    la réponse la montrait, la réponse attendue), que suit la même règle de visibilité."""

    pk: int
    libelle: str
    type: str
    choix: tuple = ()
    condition_id: int | None = None
    condition_valeur: str = ""


@dataclass(frozen=True)
class PieceDemandeeFigee:
    pk: int
    libelle: str


class VersionDeposee(models.Model):
    """Une candidature telle qu'elle était à un dépôt (1, 2… à chaque nouveau dépôt) : les
    réponses, l'intitulé et le type de chaque question et pièce demandée à ce moment (une
    retouche du formulaire ne réécrit pas l'histoire), l'éligibilité figée, la structure telle
    que le récépissé la montrait, et ses fichiers (`FichierVersion`). Jamais modifiée ensuite,
    sauf par l'effacement des données personnelles (contact de la structure)."""

    chemin_du_programme = "candidature__appel__programme"

    candidature = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveIntegerField(_("numéro du dépôt"))
    deposee_le = models.DateTimeField(_("déposée le"))
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [{"id", "libelle", "type", "choix"}] et [{"id", "libelle"}], dans l'ordre du formulaire.
    questions = models.JSONField(default=list, blank=True)
    pieces_demandees = models.JSONField(default=list, blank=True)
    reponses = models.JSONField(default=dict, blank=True)
    eligibilite = models.JSONField(default=dict, blank=True)
    structure = models.JSONField(default=dict, blank=True)
    reconstituee = models.BooleanField(
        default=False,
        help_text=_(
            "Créée par la reprise des candidatures déposées avant les versions, depuis "
            "leur état d'alors : ce n'est pas forcément le dépôt d'origine."
        ),
    )

    class Meta:
        ordering = ["candidature", "numero"]
        verbose_name = _("version déposée")
        verbose_name_plural = _("versions déposées")
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "numero"], name="un_numero_par_depot_de_candidature"
            )
        ]

    def __str__(self):
        return f"{self.candidature.reference} — dépôt n° {self.numero}"

    def questions_figees(self):
        return [
            QuestionFigee(
                q["id"],
                q["libelle"],
                q["type"],
                tuple(q.get("choix") or ()),
                q.get("condition"),
                q.get("condition_valeur", ""),
            )
            for q in self.questions
        ]

    def pieces_demandees_figees(self):
        return [PieceDemandeeFigee(p["id"], p["libelle"]) for p in self.pieces_demandees]


class FichierVersion(models.Model):
    """Un fichier tel qu'il était à un dépôt. Il désigne le même fichier stocké que la pièce
    jointe d'alors : remplacer ou retirer la pièce ensuite ne l'efface pas du stockage tant
    qu'une version le désigne (`services.candidatures._supprimer_fichier_au_commit`)."""

    version = models.ForeignKey(VersionDeposee, on_delete=models.CASCADE, related_name="fichiers")
    # Des identifiants, pas des clés : la question ou la pièce peut disparaître de l'appel.
    question_id = models.PositiveIntegerField(null=True, blank=True)
    piece_demandee_id = models.PositiveIntegerField(null=True, blank=True)
    fichier = models.FileField(
        upload_to=chemin_piece_jointe, storage=stockage_des_pieces_jointes, max_length=255
    )
    nom_original = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["version", "pk"]

    def __str__(self):
        return self.nom_original

    @property
    def cle(self):
        """Où il répond dans le formulaire : « piece_<id> » ou « q_<id> »."""
        if self.piece_demandee_id:
            return f"piece_{self.piece_demandee_id}"
        return f"q_{self.question_id}"
