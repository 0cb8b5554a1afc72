from django.apps import AppConfig


class ApiConfig(AppConfig):
    """L'API de lecture (/api/v1/) : jetons personnels, points d'accès, schéma OpenAPI."""

    name = "api"

    def ready(self):
        from api import authentification, donnees_personnelles  # noqa: F401 (se déclarent)
