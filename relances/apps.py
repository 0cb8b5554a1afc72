from django.apps import AppConfig


class RelancesConfig(AppConfig):
    """Le moteur des courriels datés du catalogue (`messagerie.catalogue`) et les préférences
    des personnes, que le catalogue consulte avant chaque notification non essentielle
    (`relances.notifications`)."""

    name = "relances"
    verbose_name = "Relances"

    def ready(self):
        # Les envois groupés, tenus plus bas (messagerie), portent le lien de désabonnement
        # des relances.
        from messagerie.catalogue import fournir_le_desabonnement
        from relances import services

        fournir_le_desabonnement(services.lien_desabonnement)
