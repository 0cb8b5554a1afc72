from django.apps import AppConfig


class ActiviteConfig(AppConfig):
    name = "activite"
    verbose_name = "Activité des structures et bilan"

    def ready(self):
        from activite.versions import connecter_les_signaux

        connecter_les_signaux()
