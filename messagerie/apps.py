from django.apps import AppConfig


class MessagerieConfig(AppConfig):
    name = "messagerie"
    verbose_name = "Messagerie"

    def ready(self):
        from messagerie import checks  # noqa: F401 — enregistre les vérifications
