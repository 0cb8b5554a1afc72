from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActiviteConfig(AppConfig):
    name = "activite"
    verbose_name = _("Activité des structures et bilan")

    def ready(self):
        from django.db.models.signals import post_delete

        from activite import recepteurs
        from activite.models import PdfDuBilan
        from activite.pdf_du_bilan import effacer_le_fichier
        from activite.versions import connecter_les_signaux

        connecter_les_signaux()
        recepteurs.connecter()
        post_delete.connect(effacer_le_fichier, sender=PdfDuBilan, dispatch_uid="pdf-du-bilan")

        # Le tableur d'une grande cohorte, préparé par le worker, au registre des exports.
        from activite import exports_differes  # noqa: F401
