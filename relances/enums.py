from django.db import models
from django.utils.translation import gettext_lazy as _


class EtatRelance(models.TextChoices):
    """Ce que le balayage a fait d'une relance due ; l'envoi lui-même est suivi par le message."""

    MISE_EN_ENVOI = "mise_en_envoi", _("Mise en envoi")
    IGNOREE_PREFERENCE = "ignoree_preference", _("Non envoyée (désactivée par la personne)")
    EN_ATTENTE_RESUME = "en_attente_resume", _("En attente du résumé du jour")
    RESUMEE = "resumee", _("Envoyée dans le résumé du jour")
