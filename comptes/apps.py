from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "comptes"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from comptes import (
            double_authentification,  # noqa: F401 (branche ses signaux)
            roles,  # noqa: F401 (branche ses signaux)
        )
