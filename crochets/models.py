"""Les webhooks d'un programme : un abonnement (adresse, événements suivis, secret de
signature) et le journal de ses livraisons."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crochets.evenements import CodeEvenement


def nouveau_secret():
    """32 octets aléatoires, en hexadécimal : la clé HMAC des signatures du webhook."""
    return secrets.token_hex(32)


class Abonnement(models.Model):
    """Un webhook : une adresse du partenaire qui reçoit, signés, les événements choisis d'un
    programme."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("adresse du webhook"), max_length=500)
    evenements = models.JSONField(_("événements"), default=list, blank=True)
    secret = models.CharField(max_length=64, default=nouveau_secret, editable=False)
    actif = models.BooleanField(_("actif"), default=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(default=timezone.now)
    secret_change_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.url

    def suit(self, code):
        return code in self.evenements

    @property
    def libelles_des_evenements(self):
        return [str(CodeEvenement(code).label) for code in CodeEvenement if code in self.evenements]


class EtatLivraison(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    REUSSIE = "reussie", _("Réussie")
    ECHOUEE = "echouee", _("Échouée")


class Livraison(models.Model):
    """Un envoi d'un événement à un webhook, avec ses tentatives.

    `identifiant` part dans l'en-tête `X-Relais-Livraison` et ne change pas d'une tentative à
    l'autre : le récepteur s'en sert pour ne traiter qu'une fois. L'état est un journal
    technique, tenu par le code de livraison (crochets/livraisons.py)."""

    chemin_du_programme = "abonnement__programme"

    abonnement = models.ForeignKey(Abonnement, on_delete=models.CASCADE, related_name="livraisons")
    evenement = models.CharField(_("événement"), max_length=50)
    identifiant = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    charge_utile = models.JSONField(default=dict)
    etat = models.CharField(
        _("état"), max_length=20, choices=EtatLivraison.choices, default=EtatLivraison.EN_ATTENTE
    )
    tentatives = models.PositiveSmallIntegerField(default=0)
    dernier_statut_http = models.PositiveSmallIntegerField(null=True, blank=True)
    duree_ms = models.PositiveIntegerField(null=True, blank=True)
    derniere_erreur = models.TextField(blank=True)
    prochaine_tentative = models.DateTimeField(null=True, blank=True)
    creee_le = models.DateTimeField(default=timezone.now)
    livree_le = models.DateTimeField(null=True, blank=True)
    # Un renvoi demandé par un gestionnaire : la livraison d'origine, gardée telle quelle.
    renvoi_de = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renvois"
    )

    class Meta:
        ordering = ["-creee_le", "-pk"]
        indexes = [
            models.Index(fields=["abonnement", "-creee_le"], name="crochets_livraison_par_date"),
            # Le rattrapage ne lit que les livraisons en attente.
            models.Index(
                fields=["prochaine_tentative"],
                name="crochets_livraison_en_attente",
                condition=models.Q(etat="en_attente"),
            ),
        ]
        verbose_name = _("livraison")

    def __str__(self):
        return f"{self.evenement} → {self.abonnement_id} ({self.identifiant})"

    @property
    def libelle_evenement(self):
        try:
            return str(CodeEvenement(self.evenement).label)
        except ValueError:
            return self.evenement
