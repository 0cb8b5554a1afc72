"""Le fil de discussion d'un objet (une candidature, un plan d'accompagnement) : ses messages,
leurs pièces jointes et ce que chaque personne y a lu.

Le fil vise son objet par un type et un identifiant (les applications du dessus déclarent leurs
modèles au registre, `echanges.registre`) ; il porte le programme de l'objet, qui décide du
cloisonnement (`noyau.perimetre`)."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cote(models.TextChoices):
    STRUCTURE = "structure", _("Structure")
    EQUIPE = "equipe", _("Équipe du programme")


class Fil(models.Model):
    """Un fil par objet visé, créé à son premier message."""

    cible_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    cible_id = models.PositiveBigIntegerField()
    cible = GenericForeignKey("cible_type", "cible_id")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="fils"
    )
    # Un gestionnaire peut montrer le fil d'une candidature au jury, en lecture seule.
    partage_jury = models.BooleanField(_("partagé avec le jury"), default=False)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cible_type", "cible_id"], name="un_fil_par_objet")
        ]
        verbose_name = _("fil de discussion")
        verbose_name_plural = _("fils de discussion")

    def __str__(self):
        return f"Fil {self.cible_type.model} {self.cible_id}"


class MessageFil(models.Model):
    chemin_du_programme = "fil__programme"

    fil = models.ForeignKey(Fil, on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cote = models.CharField(max_length=10, choices=Cote.choices)
    texte = models.TextField(_("message"))
    cree_le = models.DateTimeField(default=timezone.now, db_index=True)
    # Posée par l'équipe : la structure est relancée une fois ce jour-là si elle n'a pas
    # répondu ; sa réponse (le premier message de la structure après) la remplit.
    reponse_attendue_avant = models.DateField(null=True, blank=True)
    repondu_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cree_le", "pk"]
        indexes = [models.Index(fields=["fil", "cree_le"])]
        verbose_name = _("message du fil")
        verbose_name_plural = _("messages du fil")

    def __str__(self):
        return f"Message {self.pk} du fil {self.fil_id}"


def stockage_des_pieces_jointes():
    """Le stockage « pieces_jointes » s'il est déclaré (un bucket privé en production), sinon
    le stockage par défaut : comme les pièces des candidatures."""
    from django.core.files.storage import InvalidStorageError, storages

    try:
        return storages["pieces_jointes"]
    except InvalidStorageError:
        return storages["default"]


def chemin_piece_du_message(piece, nom_original):
    extension = PurePosixPath(nom_original).suffix.lower()
    return f"echanges/fil-{piece.message.fil_id}/{uuid.uuid4().hex}{extension}"


class PieceJointeMessage(models.Model):
    chemin_du_programme = "message__fil__programme"

    message = models.ForeignKey(MessageFil, on_delete=models.CASCADE, related_name="pieces")
    fichier = models.FileField(
        upload_to=chemin_piece_du_message, storage=stockage_des_pieces_jointes, max_length=255
    )
    nom_original = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pièce jointe d'un message")
        verbose_name_plural = _("pièces jointes des messages")

    def __str__(self):
        return self.nom_original


class Lecture(models.Model):
    """Ce qu'une personne a lu d'un fil : tout message plus récent que `dernier_message_lu`
    (et d'un autre auteur) est non lu pour elle."""

    fil = models.ForeignKey(Fil, on_delete=models.CASCADE, related_name="lectures")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    dernier_message_lu = models.PositiveBigIntegerField(default=0)
    lu_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fil", "utilisateur"], name="une_lecture_par_personne")
        ]

    def __str__(self):
        return f"Lecture du fil {self.fil_id} par {self.utilisateur_id}"
