from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = _("Appels et candidatures")

    def ready(self):
        # Se déclarent aux comptes (données personnelles), aux notes et étiquettes, et au
        # registre des fils.
        from candidatures import annotables, donnees_personnelles, fils  # noqa: F401
