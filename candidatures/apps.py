from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = _("Appels et candidatures")

    def ready(self):
        # Se déclarent aux comptes (données personnelles) et aux notes et étiquettes.
        from candidatures import annotables, donnees_personnelles  # noqa: F401
