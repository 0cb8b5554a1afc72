from django.db import models


class TypeEvenement(models.TextChoices):
    """Catalogue des événements hors transitions ; il alimente le journal et les notifications.

    Les changements d'état sont journalisés par django-fsm-log (StateLog), ceux-ci complètent.
    """

    INVITATION_ENVOYEE = "invitation_envoyee", "Invitation envoyée"
    INVITATION_ACCEPTEE = "invitation_acceptee", "Invitation acceptée"
    COMPTE_CREE = "compte_cree", "Compte créé"
    MESSAGE_RENVOYE = "message_renvoye", "Message renvoyé"
