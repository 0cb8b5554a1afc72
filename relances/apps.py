from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RelancesConfig(AppConfig):
    name = "relances"
    verbose_name = "Relances"

    def ready(self):
        # Chaque application déclare ses types de relance dans son module `relances.py`.
        autodiscover_modules("relances")
