from django.apps import AppConfig


class RelancesConfig(AppConfig):
    """Le moteur des courriels datés du catalogue (`messagerie.catalogue`) et les préférences
    des personnes, que le catalogue consulte avant chaque notification non essentielle
    (`relances.notifications`)."""

    name = "relances"
    verbose_name = "Relances"
