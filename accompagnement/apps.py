from django.apps import AppConfig


class AccompagnementConfig(AppConfig):
    name = "accompagnement"

    def ready(self):
        # Le plan d'accompagnement suit les transitions des candidatures (retenue, retirée).
        from accompagnement import suites  # noqa: F401
