from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MessagerieConfig(AppConfig):
    name = "messagerie"
    verbose_name = "Messagerie"

    def ready(self):
        from messagerie import checks  # noqa: F401 — enregistre les vérifications

        # Chaque application déclare ses courriels au catalogue : ceux d'un événement dans son
        # module `notifications.py`, ceux d'une date (relances) dans `relances.py`.
        autodiscover_modules("notifications", "relances")
        # Les listes auxquelles un gestionnaire écrit (envois groupés), dans `audiences.py`.
        autodiscover_modules("audiences")
