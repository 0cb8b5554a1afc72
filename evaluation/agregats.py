"""La médiane comme agrégat SQL, sur PostgreSQL comme sur SQLite.

PostgreSQL a `percentile_cont(0.5) WITHIN GROUP (ORDER BY …)`. SQLite n'a pas de médiane :
comme Django le fait déjà pour STDDEV_POP sur SQLite, on y enregistre à chaque connexion une
fonction d'agrégat `RELAIS_MEDIANE`. Dans les deux cas la médiane se calcule dans la même
requête que la moyenne et l'écart type : le classement garde un nombre de requêtes constant.
"""

import statistics

from django.db.models import Aggregate, FloatField


class Mediane(Aggregate):
    function = "RELAIS_MEDIANE"
    name = "Mediane"
    output_field = FloatField()
    allow_filter = True

    def as_postgresql(self, compiler, connection, **extra_context):
        # Le gabarit passe par une copie : Aggregate.as_sql le relit sur l'objet quand un
        # filtre s'y ajoute (FILTER (WHERE …) après WITHIN GROUP est du SQL valide).
        copie = self.copy()
        copie.template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        return copie.as_sql(compiler, connection, **extra_context)


class _MedianeSQLite:
    def __init__(self):
        self.valeurs = []

    def step(self, valeur):
        if valeur is not None:
            self.valeurs.append(valeur)

    def finalize(self):
        return statistics.median(self.valeurs) if self.valeurs else None


def enregistrer_sur_sqlite(sender, connection, **kwargs):
    """Branché sur `connection_created` : ajoute RELAIS_MEDIANE aux connexions SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("RELAIS_MEDIANE", 1, _MedianeSQLite)
