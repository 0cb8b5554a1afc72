from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from journal.enums import TypeEvenement


class EvenementQuerySet(models.QuerySet):
    def de(self, objet):
        """Les événements dont `objet` est la cible."""
        return self.filter(cible_type=ContentType.objects.get_for_model(objet), cible_id=objet.pk)

    def changements_d_etat(self):
        return self.filter(type=TypeEvenement.CHANGEMENT_ETAT)


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
    # Un changement d'état (type CHANGEMENT_ETAT) : la transition et ses deux états.
    transition = models.CharField(max_length=100, blank=True)
    depuis = models.CharField(max_length=100, blank=True)
    vers = models.CharField(max_length=100, blank=True)
    donnees = models.JSONField(default=dict, blank=True)

    objects = EvenementQuerySet.as_manager()

    class Meta:
        ordering = ["-survenu_le", "-pk"]
        indexes = [models.Index(fields=["cible_type", "cible_id", "survenu_le"])]
        verbose_name = _("événement")

    def __str__(self):
        return f"{self.libelle} ({self.survenu_le:%d/%m/%Y %H:%M})"

    @property
    def libelle(self):
        if self.type == TypeEvenement.CHANGEMENT_ETAT:
            return self.transition
        try:
            return str(TypeEvenement(self.type).label)
        except ValueError:
            return self.type
