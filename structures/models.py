"""Les structures candidates (CCAS, associations…), leurs membres et les invitations à les
rejoindre.

Les tables gardent leur nom d'origine (`candidatures_…`) : les modèles viennent de
`candidatures`, leurs lignes n'ont pas bougé.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptes.models import JetonUsageUnique
from structures.validators import valider_siret
from territoires.enums import TypeStructure
from territoires.normalisation import forme_de_recherche


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
        db_table = "candidatures_structure"
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
        db_table = "candidatures_membrestructure"
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
        db_table = "candidatures_invitationstructure"
        ordering = ["-creee_le"]
        verbose_name = _("invitation dans une structure")
        verbose_name_plural = _("invitations dans les structures")

    def __str__(self):
        return f"Invitation de {self.email} dans {self.structure}"
