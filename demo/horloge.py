"""L'horloge de la démo : chaque geste de l'histoire est fait par les services de l'application,
à la date où la personne l'aurait fait.

Les services datent ce qu'ils écrivent avec l'heure courante (journal des transitions,
évènements, dépôts, décisions) ; pour raconter une histoire passée, l'heure est déplacée le
temps de chaque geste, puis rendue. `time-machine` est une dépendance de l'application (une
instance de recette sans outils de développement charge aussi la démo) ; il n'est importé
qu'au chargement de la démo, jamais par le serveur.
"""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def le(annee, mois, jour, heure=10, minute=0):
    """Un instant de l'histoire, à l'heure de Paris."""
    return datetime.datetime(annee, mois, jour, heure, minute, tzinfo=PARIS)


@contextmanager
def a_la_date(moment):
    """Le temps d'un geste, l'heure est `moment` (figée : deux passages écrivent les mêmes
    dates)."""
    import time_machine

    with time_machine.travel(moment, tick=False):
        yield
