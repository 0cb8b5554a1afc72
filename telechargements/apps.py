from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelechargementsConfig(AppConfig):
    """Les exports préparés par le worker : une ligne par demande (qui, quoi, où en est la
    préparation), le fichier dans le stockage, gardé un temps puis effacé. Les applications du
    dessus y inscrivent leurs genres d'export (`telechargements.registre`)."""

    name = "telechargements"
    verbose_name = _("Exports préparés")

    def ready(self):
        from django.db.models.signals import post_delete

        from telechargements import preparation
        from telechargements.models import Telechargement

        post_delete.connect(
            preparation.effacer_le_fichier, sender=Telechargement, dispatch_uid="telechargement"
        )
