from django.apps import AppConfig


class CrochetsConfig(AppConfig):
    """Les webhooks d'un programme : abonnements, livraisons signées, journal des envois."""

    name = "crochets"
