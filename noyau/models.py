from django.db import models
from django.utils.translation import gettext_lazy as _


class HorlogeDeTable(models.Model):
    """La génération d'une table, renouvelée par chaque transaction validée qui y écrit
    (noyau.horloge)."""

    nom = models.CharField(_("table"), max_length=100, primary_key=True)
    generation = models.BigIntegerField(_("génération"), default=0)

    class Meta:
        db_table = "noyau_horloge"
        verbose_name = _("horloge d'une table")
        verbose_name_plural = _("horloges des tables")

    def __str__(self):
        return f"{self.nom} : {self.generation}"
