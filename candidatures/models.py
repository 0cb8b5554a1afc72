"""Programmes, appels et leurs questions, structures candidates, candidatures et pièces jointes.

Les méthodes @transition ne font que changer l'état et les champs qui vont avec ; les courriels,
le journal des événements et les verrous sont l'affaire de `candidatures.services`.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from candidatures import completude
from candidatures.enums import (
    ETATS_AVANT_DECISION,
    ETATS_MODIFIABLES,
    EtatAppel,
    EtatCandidature,
    TypeQuestion,
)
from candidatures.texte_riche import markdown_en_html
from candidatures.validators import valider_siret
from comptes.models import JetonUsageUnique
from journal.transitions import ModeleAEtats, transition_journalisee
from territoires.enums import ResultatEligibilite, TypeStructure
from territoires.models import ReglesEligibiliteMixin
from territoires.normalisation import forme_de_recherche


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
        settings.AUTH_USER_MODEL, related_name="programmes_geres", blank=True
    )
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
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


class Structure(models.Model):
    """Une structure candidate (CCAS, association…) et les comptes qui agissent pour elle."""

    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=TypeStructure.choices)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        unique=True,
        validators=[valider_siret],
        error_messages={
            "unique": _(
                "Une structure avec ce SIRET existe déjà sur Relais : demandez à une "
                "personne de cette structure de vous inviter."
            )
        },
    )
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.PROTECT, related_name="structures"
    )
    adresse = models.CharField(max_length=255)
    code_postal = models.CharField(max_length=5)
    contact_nom = models.CharField(_("nom de la personne à contacter"), max_length=150)
    contact_fonction = models.CharField(_("fonction"), max_length=150, blank=True)
    contact_email = models.EmailField(_("adresse électronique de contact"))
    contact_telephone = models.CharField(_("téléphone"), max_length=20)
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="MembreStructure", related_name="structures"
    )
    nom_recherche = models.CharField(max_length=200, db_index=True, editable=False)
    creee_le = models.DateTimeField(default=timezone.now)
    modifiee_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def save(self, *args, **kwargs):
        self.nom_recherche = forme_de_recherche(self.nom)
        if kwargs.get("update_fields") is not None and "nom" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "nom_recherche"}
        super().save(*args, **kwargs)

    def membres_actifs(self):
        """Les comptes actifs de la structure, par adresse : les destinataires de ce qui la
        concerne. Lit les membres préchargés (`prefetch_related("membres")`) s'ils le sont."""
        if "membres" in getattr(self, "_prefetched_objects_cache", {}):
            return sorted((m for m in self.membres.all() if m.is_active), key=lambda m: m.email)
        return list(self.membres.filter(is_active=True).order_by("email"))


class MembreStructure(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="adhesions")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adhesions"
    )
    # La personne qui a créé le profil, et celles qu'elle désigne : elles invitent les collègues.
    est_responsable = models.BooleanField(_("responsable"), default=False)
    ajoute_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "utilisateur"], name="membre_unique_par_structure"
            )
        ]
        verbose_name = _("membre d'une structure")
        verbose_name_plural = _("membres des structures")

    def __str__(self):
        return f"{self.utilisateur} — {self.structure}"


class InvitationStructure(JetonUsageUnique):
    """Un collègue invité à agir pour une structure."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse électronique"))
    invitee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acceptee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-creee_le"]
        verbose_name = _("invitation dans une structure")
        verbose_name_plural = _("invitations dans les structures")

    def __str__(self):
        return f"Invitation de {self.email} dans {self.structure}"


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
    def declarer_irrecevable(self, *, motif, by=None, description=None):
        self.motif_irrecevabilite = motif
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
    def retirer_laureat(self, *, motif, by=None, description=None):
        """Un lauréat renonce à sa place, de lui-même ou par un gestionnaire pour lui ; le
        motif est obligatoire (le service le vérifie) et la place se libère."""
        self.motif_retrait = motif
        self.retiree_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=ETATS_AVANT_DECISION,
        target=EtatCandidature.RETIREE,
        permission="candidatures.retirer_candidature",
    )
    def retirer(self, *, motif_retrait="", by=None, description=None):
        # Pas `motif=` : `appliquer_transition` le remplirait avec le motif du journal
        # (« Retrait » quand la structure n'en donne pas), que la candidature ne garde pas.
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
