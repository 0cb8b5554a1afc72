from django.db import models


class EtatRelance(models.TextChoices):
    """Ce que le balayage a fait d'une relance due ; l'envoi lui-même est suivi par le message."""

    MISE_EN_ENVOI = "mise_en_envoi", "Mise en envoi"
    IGNOREE_PREFERENCE = "ignoree_preference", "Non envoyée (désactivée par la personne)"
    EN_ATTENTE_RESUME = "en_attente_resume", "En attente du résumé du jour"
    RESUMEE = "resumee", "Envoyée dans le résumé du jour"
