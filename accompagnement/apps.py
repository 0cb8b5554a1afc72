from django.apps import AppConfig


class AccompagnementConfig(AppConfig):
    name = "accompagnement"

    def ready(self):
        from accompagnement import donnees_personnelles  # noqa: F401 (se déclare aux comptes)
