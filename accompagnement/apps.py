from django.apps import AppConfig


class AccompagnementConfig(AppConfig):
    name = "accompagnement"

    def ready(self):
        # Le plan d'accompagnement suit les transitions des candidatures (retenue, retirée) ;
        # les données personnelles de l'accompagnement se déclarent aux comptes, les plans aux
        # notes privées et étiquettes.
        from accompagnement import annotables, donnees_personnelles, suites  # noqa: F401
