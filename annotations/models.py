"""Notes privées et étiquettes : ce que l'équipe d'un programme écrit ou range sur une
candidature ou un plan, jamais montré à la structure.

La cible est générique (type de contenu + identifiant) : les applications du dessus
(candidatures, accompagnement) déclarent leurs modèles dans `annotations.registre`, avec les
règles qui disent qui lit et qui écrit. Chaque ligne porte son programme (le cloisonnement de
`noyau.perimetre`), recopié de la cible à l'écriture.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotePrivee(models.Model):
    """Une note datée sur une candidature ou un plan ; seul son auteur la modifie ou l'efface."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="notes_privees"
    )
    cible_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    cible_id = models.PositiveBigIntegerField()
    cible = GenericForeignKey("cible_type", "cible_id")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    texte = models.TextField(_("note"))
    creee_le = models.DateTimeField(default=timezone.now)
    modifiee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-creee_le", "-pk"]
        indexes = [models.Index(fields=["cible_type", "cible_id"])]
        verbose_name = _("note privée")
        verbose_name_plural = _("notes privées")

    def __str__(self):
        return self.texte[:60]


class Etiquette(models.Model):
    """Une étiquette d'un programme ; son nom y est unique, sans égard à la casse."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="etiquettes"
    )
    nom = models.CharField(_("nom de l'étiquette"), max_length=60)
    creee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["nom", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("nom"), "programme", name="etiquette_nom_unique_par_programme"
            )
        ]
        verbose_name = _("étiquette")
        verbose_name_plural = _("étiquettes")

    def __str__(self):
        return self.nom


class Etiquetage(models.Model):
    """Une étiquette posée sur une cible (une fois au plus)."""

    chemin_du_programme = "etiquette__programme"

    etiquette = models.ForeignKey(Etiquette, on_delete=models.CASCADE, related_name="etiquetages")
    cible_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    cible_id = models.PositiveBigIntegerField()
    cible = GenericForeignKey("cible_type", "cible_id")
    pose_le = models.DateTimeField(default=timezone.now)
    pose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["etiquette", "cible_type", "cible_id"], name="etiquetage_unique"
            )
        ]
        indexes = [models.Index(fields=["cible_type", "cible_id"])]

    def __str__(self):
        return f"{self.etiquette_id} → {self.cible_type_id}:{self.cible_id}"
