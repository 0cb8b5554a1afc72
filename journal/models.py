from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journal.enums import TypeEvenement


class Evenement(models.Model):
    """Un fait daté du journal : qui, quoi, quand, sur quel objet, avec quelles données."""

    # Sans `choices` en base : ajouter un événement au catalogue ne demande pas de migration.
    type = models.CharField(max_length=50, db_index=True)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    survenu_le = models.DateTimeField(default=timezone.now, db_index=True)
    cible_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    cible_id = models.PositiveBigIntegerField(null=True, blank=True)
    cible = GenericForeignKey("cible_type", "cible_id")
    motif = models.TextField(blank=True)
    donnees = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-survenu_le", "-pk"]
        indexes = [models.Index(fields=["cible_type", "cible_id", "survenu_le"])]
        verbose_name = _("événement")

    def __str__(self):
        return f"{self.libelle} ({self.survenu_le:%d/%m/%Y %H:%M})"

    @property
    def libelle(self):
        try:
            return str(TypeEvenement(self.type).label)
        except ValueError:
            return self.type
