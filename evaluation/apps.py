from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = gettext_lazy("Jury et délibération")

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from evaluation import (
            agregats_du_jury,
            donnees_personnelles,  # noqa: F401 (se déclare aux comptes)
            fils,  # noqa: F401 (le jury lit un fil qu'on lui montre)
        )
        from evaluation.agregats import enregistrer_sur_sqlite

        connection_created.connect(enregistrer_sur_sqlite, dispatch_uid="relais_mediane")
        # Une connexion ouverte avant ready() (rare) reçoit aussi l'agrégat.
        for connexion in connections.all(initialized_only=True):
            if connexion.connection is not None:
                enregistrer_sur_sqlite(None, connexion)
        agregats_du_jury.brancher()
