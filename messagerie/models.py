import hashlib
from datetime import UTC
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from journal.transitions import ModeleAEtats, transition_journalisee
from messagerie.enums import EtatEnvoiGroupe, EtatMessage
from messagerie.types import choix_des_types
from noyau.perimetre import filtre_des_programmes_geres, geres_par


class MessageQuerySet(models.QuerySet):
    def visibles_par(self, utilisateur):
        """Les courriels qu'un gestionnaire peut lire : ceux des programmes qu'il gère, et ceux
        qui lui sont adressés. Les courriels de compte d'autrui (confirmation, mot de passe),
        rattachés à aucun programme, ne sont lus que par l'administration de la plateforme."""
        return self.filter(filtre_des_programmes_geres(utilisateur, adresse_a="utilisateur_id"))


class Message(models.Model):
    """Un courriel sortant, gardé en base (boîte d'envoi) avant, pendant et après son envoi.

    La clé, quand elle est donnée, rend la création idempotente : un même rappel à une même
    personne n'est créé qu'une fois, quel que soit le nombre de fois où on le demande.
    """

    cle = models.CharField(max_length=255, unique=True, null=True, blank=True)
    type = models.CharField(_("type"), max_length=80, db_index=True, choices=choix_des_types)
    destinataire = models.EmailField()
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages_recus",
    )
    sujet = models.CharField(max_length=255)
    corps_texte = models.TextField()
    corps_html = models.TextField(blank=True)
    objet_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    objet_id = models.PositiveBigIntegerField(null=True, blank=True)
    objet = GenericForeignKey("objet_type", "objet_id")
    # Le programme dont relève l'objet : seuls ses gestionnaires lisent ce courriel.
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Pièces jointes produites au moment de l'envoi, par le worker, plutôt que dans la requête
    # qui crée le message (un récépissé PDF coûte 0,2 s de calcul) : chemins de fonctions
    # `fonction(objet) -> (nom, contenu, type MIME)`, vidés une fois les pièces enregistrées.
    pieces_a_produire = models.JSONField(default=list, blank=True)

    etat = FSMField(
        max_length=20, choices=EtatMessage.choices, default=EtatMessage.A_ENVOYER, protected=True
    )
    tentatives = models.PositiveSmallIntegerField(default=0)
    derniere_erreur = models.TextField(blank=True)
    cree_le = models.DateTimeField(default=timezone.now, db_index=True)
    modifie_le = models.DateTimeField(auto_now=True)
    envoye_le = models.DateTimeField(null=True, blank=True)
    # Bail du worker qui envoie : tant qu'il court, personne d'autre ne touche au message ;
    # passé ce moment, le worker est tenu pour mort et le rattrapage reprend l'envoi. Le numéro
    # de tentative sert de jeton : seul le worker de la tentative en cours conclut l'envoi.
    bail_expire_le = models.DateTimeField(null=True, blank=True)
    # Un échec qui a encore droit à un essai garde ici la date de cet essai : la tâche le
    # refait elle-même, et le rattrapage le refait si la tâche s'est perdue (worker tué, file
    # injoignable au moment de la reprogrammer). Vide quand les essais sont épuisés.
    prochain_essai_le = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le", "-pk"]
        indexes = [
            models.Index(fields=["etat", "modifie_le"]),
            # Le rattrapage, chaque minute, ne lit que les envois en cours : un index partiel
            # de quelques lignes plutôt que toute la boîte d'envoi.
            models.Index(
                fields=["bail_expire_le"],
                condition=models.Q(etat=EtatMessage.EN_COURS),
                name="message_bail_en_cours",
            ),
            models.Index(
                fields=["prochain_essai_le"],
                condition=models.Q(etat=EtatMessage.ECHEC),
                name="message_essai_en_echec",
            ),
        ]

    def __str__(self):
        return f"{self.sujet} → {self.destinataire}"

    @transition_journalisee(
        field=etat, source=[EtatMessage.A_ENVOYER, EtatMessage.ECHEC], target=EtatMessage.EN_COURS
    )
    def commencer_envoi(self, *, bail_expire_le, by=None, description=None):
        self.tentatives += 1
        self.bail_expire_le = bail_expire_le
        self.prochain_essai_le = None

    @transition_journalisee(field=etat, source=EtatMessage.EN_COURS, target=EtatMessage.ENVOYE)
    def marquer_envoye(self, by=None, description=None):
        self.envoye_le = timezone.now()
        self.derniere_erreur = ""
        self.bail_expire_le = None

    @transition_journalisee(field=etat, source=EtatMessage.EN_COURS, target=EtatMessage.ECHEC)
    def marquer_echec(self, erreur="", prochain_essai_le=None, by=None, description=None):
        self.derniere_erreur = erreur
        self.bail_expire_le = None
        self.prochain_essai_le = prochain_essai_le

    @transition_journalisee(
        field=etat, source=[EtatMessage.ECHEC, EtatMessage.EN_COURS], target=EtatMessage.A_ENVOYER
    )
    def remettre_a_envoyer(self, by=None, description=None):
        """Un gestionnaire renvoie un message en échec, ou on reprend un envoi interrompu."""
        self.bail_expire_le = None
        self.prochain_essai_le = None

    @property
    def identifiant_courriel(self):
        """L'en-tête Message-ID, le même à chaque tentative : un serveur ou un logiciel de
        courrier qui reçoit deux fois le même message (worker tué après que le serveur SMTP l'a
        accepté) peut reconnaître le doublon.

        Tiré de la clé du message (ou, sans clé, de son numéro) et de sa date de création, qui
        distingue deux instances de Relais ou un message recréé sous la même clé.
        """
        cle = self.cle or f"message-{self.pk}"
        cree_le = self.cree_le.astimezone(UTC).isoformat()
        empreinte = hashlib.sha256(f"{cle}|{cree_le}".encode()).hexdigest()[:32]
        return f"<relais.{empreinte}@{_domaine_des_courriels()}>"


def _domaine_des_courriels():
    """Le domaine de l'expéditeur (DEFAULT_FROM_EMAIL), à défaut celui du site."""
    adresse = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if "@" in adresse:
        return adresse.rpartition("@")[2].lower()
    return urlsplit(settings.SITE_URL).hostname or "relais.invalid"


class PieceJointe(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="pieces_jointes")
    nom = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    contenu = models.BinaryField()

    def __str__(self):
        return self.nom


class ModeleCourriel(models.Model):
    """La version d'un courriel du catalogue écrite par un programme (sujet et corps en texte,
    avec les champs que le catalogue lui offre) ; sans elle, le courriel part avec le texte du
    code. Rendue seulement par `noyau.gabarits_surs`."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="modeles_courriel"
    )
    code = models.CharField(max_length=80)
    sujet = models.CharField(_("sujet"), max_length=255)
    corps = models.TextField(_("texte"))
    modifie_le = models.DateTimeField(auto_now=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="modele_courriel_unique")
        ]

    def __str__(self):
        return f"{self.code} ({self.programme_id})"


class ModeleDocument(models.Model):
    """Le texte d'une lettre ou d'une attestation écrit par un programme (entre l'en-tête et le
    pied fixés par le code), rendu seulement par `noyau.gabarits_surs`."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="modeles_document"
    )
    code = models.CharField(max_length=80)
    texte = models.TextField(_("texte"))
    modifie_le = models.DateTimeField(auto_now=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="modele_document_unique")
        ]

    def __str__(self):
        return f"{self.code} ({self.programme_id})"


class EnvoiGroupeQuerySet(models.QuerySet):
    def visibles_par(self, utilisateur):
        """Les envois groupés des programmes que ce gestionnaire gère (tous pour
        l'administration de la plateforme)."""
        if utilisateur.is_active and utilisateur.is_superuser:
            return self
        return self.filter(geres_par(EnvoiGroupe, utilisateur))


class EnvoiGroupe(ModeleAEtats, models.Model):
    """Un message écrit une fois et envoyé à chaque destinataire d'une liste filtrée, par la
    boîte d'envoi.

    La liste est figée à la confirmation (`destinataires` : adresse, compte, valeurs des champs
    de chacun) : la tâche qui prépare les messages envoie à ceux qui ont été comptés et montrés,
    et la relancer ne crée rien deux fois (un message par clé `envoi-<pk>-<adresse>`).
    """

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="envois_groupes"
    )
    audience = models.CharField(_("liste"), max_length=80)
    parametres = models.JSONField(default=dict, blank=True)
    description = models.CharField(_("destinataires"), max_length=500)
    adresse_de_la_liste = models.CharField(max_length=1000, blank=True)
    sujet = models.CharField(_("objet"), max_length=255)
    corps = models.TextField(_("message"))
    destinataires = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    traites = models.PositiveIntegerField(default=0)
    mis_en_envoi = models.PositiveIntegerField(default=0)
    ignores = models.PositiveIntegerField(default=0)
    etat = FSMField(
        max_length=20,
        choices=EtatEnvoiGroupe.choices,
        default=EtatEnvoiGroupe.EN_COURS,
        protected=True,
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now, db_index=True)
    modifie_le = models.DateTimeField(auto_now=True)
    termine_le = models.DateTimeField(null=True, blank=True)

    objects = EnvoiGroupeQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = _("envoi groupé")
        verbose_name_plural = _("envois groupés")

    def __str__(self):
        return self.sujet

    @property
    def progression(self):
        """Le pourcentage des destinataires traités (0 à 100)."""
        return round(100 * self.traites / self.total) if self.total else 100

    @transition_journalisee(
        field=etat, source=EtatEnvoiGroupe.EN_COURS, target=EtatEnvoiGroupe.TERMINE
    )
    def terminer(self, by=None, description=None):
        self.termine_le = timezone.now()
