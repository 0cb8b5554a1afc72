"""Les jetons personnels de l'API : créés et révoqués par leur titulaire depuis « Mon compte ».

Un jeton lit, pour le compte de son titulaire, ce qu'un seul programme lui montre, jusqu'à sa
date d'expiration. Il n'est affiché qu'une fois, à sa création : la base n'en garde que
l'empreinte SHA-256 (un jeton tiré au hasard sur 256 bits n'a pas besoin d'un hachage lent)
et les huit caractères de son préfixe, pour le reconnaître dans la liste.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme

PREFIXE_DES_JETONS = "relais_"


def empreinte(jeton_en_clair):
    return hashlib.sha256(jeton_en_clair.encode()).hexdigest()


class JetonQuerySet(models.QuerySet):
    def valides(self, maintenant=None):
        maintenant = maintenant or timezone.now()
        return self.filter(revoque_le__isnull=True, expire_le__gt=maintenant)

    def emettre(self, *, utilisateur, nom, programme, expire_le):
        """Tire un jeton et n'en garde que l'empreinte ; renvoie (jeton, texte en clair). Sans
        contrôle : c'est `api.jetons.creer_jeton` qui décide qui peut viser quel programme."""
        clair = PREFIXE_DES_JETONS + secrets.token_urlsafe(32)
        jeton = self.create(
            utilisateur=utilisateur,
            nom=nom,
            programme=programme,
            prefixe=clair[: len(PREFIXE_DES_JETONS) + 8],
            empreinte=empreinte(clair),
            expire_le=expire_le,
        )
        return jeton, clair


class JetonAPI(models.Model):
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jetons_api"
    )
    nom = models.CharField(_("nom du jeton"), max_length=100)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    prefixe = models.CharField(max_length=16, editable=False)
    empreinte = models.CharField(max_length=64, unique=True, editable=False)
    cree_le = models.DateTimeField(default=timezone.now)
    expire_le = models.DateTimeField(_("expire le"))
    dernier_usage_le = models.DateTimeField(null=True, blank=True)
    revoque_le = models.DateTimeField(null=True, blank=True)

    objects = JetonQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = _("jeton d'accès à l'API")

    def __str__(self):
        return f"{self.nom} ({self.prefixe}…)"

    def est_valide(self, maintenant=None):
        return self.revoque_le is None and self.expire_le > (maintenant or timezone.now())
