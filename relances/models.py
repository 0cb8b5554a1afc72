from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relances.enums import EtatRelance


class Relance(models.Model):
    """Une relance due, créée une seule fois : la clé (type, objet, décalage, destinataire) est
    unique, c'est elle qui garantit « exactement une fois » quels que soient les balayages."""

    cle = models.CharField(max_length=200, unique=True)
    type_code = models.CharField(_("type"), max_length=80, db_index=True)
    objet_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    objet_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("objet_type", "objet_id")
    decalage = models.IntegerField(_("décalage (jours)"))
    # La date dont part le décalage (échéance, date de session...), en heure de Paris : le
    # résumé du jour en tire les jours restants ou de retard au jour où il part.
    date_reference = models.DateField(_("date de référence"), null=True, blank=True)
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relances"
    )
    etat = models.CharField(max_length=30, choices=EtatRelance.choices)
    message = models.ForeignKey(
        "messagerie.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relances",
    )
    # Le programme dont relève l'objet : seuls ses gestionnaires voient cette relance.
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    creee_le = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-creee_le", "-pk"]
        indexes = [models.Index(fields=["destinataire", "etat"])]

    def __str__(self):
        return self.cle

    @staticmethod
    def construire_cle(type_code, objet_type_id, objet_id, decalage, destinataire_id):
        return f"{type_code}:{objet_type_id}:{objet_id}:{decalage}:{destinataire_id}"


class ReglageRelance(models.Model):
    """Décalages d'un type de relance réglés par un gestionnaire pour un appel ou un programme."""

    type_code = models.CharField(_("type"), max_length=80)
    portee_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    portee_id = models.PositiveBigIntegerField()
    portee = GenericForeignKey("portee_type", "portee_id")
    decalages = models.JSONField(_("décalages (jours)"), default=list)
    repetition_jours = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["type_code", "portee_type", "portee_id"], name="reglage_relance_unique"
            )
        ]

    def __str__(self):
        return f"{self.type_code} — {self.portee}"


class PreferencesRelances(models.Model):
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences_relances"
    )
    resume_quotidien = models.BooleanField(
        _("recevoir un seul courriel par jour qui regroupe mes relances"), default=False
    )
    types_desactives = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"Préférences de {self.utilisateur}"
