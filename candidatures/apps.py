from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = _("Appels et candidatures")

    def ready(self):
        from candidatures import (
            donnees_personnelles,  # noqa: F401 (se déclare aux comptes)
            fils,  # noqa: F401 (se déclare au registre des fils)
        )
