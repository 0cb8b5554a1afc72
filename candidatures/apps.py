from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = _("Appels et candidatures")

    def ready(self):
        # Se déclarent aux comptes (données personnelles), aux notes et étiquettes, au
        # registre des fils et à celui des exports préparés par le worker.
        from candidatures import (  # noqa: F401
            annotables,
            donnees_personnelles,
            exports_differes,
            fils,
        )
