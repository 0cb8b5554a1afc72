"""Une publication en données ouvertes : les indicateurs d'une cohorte, figés au moment où le
gestionnaire les publie (le CSV et son descripteur Data Package), servis tels quels à des
adresses publiques stables jusqu'à la prochaine mise à jour ou au retrait."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """La publication d'un appel, une seule : la publier de nouveau en remplace le contenu ;
    la retirer la garde (date de retrait) pour que ses adresses répondent « retirée » (410)."""

    chemin_du_programme = "appel__programme"

    appel = models.OneToOneField(
        "programmes.Appel", on_delete=models.CASCADE, related_name="publication_ouverte"
    )
    csv = models.TextField(_("indicateurs (CSV)"))
    descripteur = models.JSONField(_("descripteur Data Package"))
    publiee_le = models.DateTimeField(_("publiée le"))
    publiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    retiree_le = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication en données ouvertes")
        verbose_name_plural = _("publications en données ouvertes")

    def __str__(self):
        return str(self.appel)

    @property
    def en_ligne(self):
        return self.retiree_le is None
