from django.apps import AppConfig


class EchangesConfig(AppConfig):
    """Les fils de discussion d'une candidature et d'un plan d'accompagnement."""

    name = "echanges"
    verbose_name = "Échanges"

    def ready(self):
        from echanges import donnees_personnelles  # noqa: F401 (se déclare aux comptes)
