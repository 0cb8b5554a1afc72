"""Rejouer des actions simultanées sur PostgreSQL, chacune dans son fil et sa connexion.

`en_meme_temps` lâche plusieurs actions ensemble et laisse le serveur choisir l'ordre : un
test qui la rejoue N fois voit les entrelacements possibles. `transaction_tenue` et
`lancer` rejouent un entrelacement précis, toujours le même : une action réelle a fait ses
écritures et garde ses verrous, une transaction pas encore validée, pendant qu'une autre
arrive.
"""

import threading
import time
from contextlib import contextmanager

from django.db import connection, transaction

DELAI = 30


class Fil:
    """Une action lancée dans son propre fil ; `resultat()` attend sa fin et rend ce qu'elle
    a rendu ou levé."""

    def __init__(self, action, *, depart=None):
        self._action = action
        self._depart = depart
        self._resultat = None
        self._fil = threading.Thread(target=self._lancer)

    def _lancer(self):
        try:
            if self._depart is not None:
                self._depart.wait()
            self._resultat = self._action()
        except Exception as erreur:  # noqa: BLE001 — le refus est un résultat attendu
            self._resultat = erreur
        finally:
            connection.close()

    def demarrer(self):
        self._fil.start()
        return self

    def est_fini(self):
        return not self._fil.is_alive()

    def resultat(self):
        self._fil.join(timeout=DELAI)
        assert not self._fil.is_alive(), "l'action n'a pas fini : verrou jamais libéré ?"
        return self._resultat


def en_meme_temps(*actions):
    """Lance chaque action dans son fil, toutes libérées ensemble ; renvoie ce que chacune a
    rendu ou levé, dans l'ordre des actions."""
    depart = threading.Barrier(len(actions))
    fils = [Fil(action, depart=depart).demarrer() for action in actions]
    return [un_fil.resultat() for un_fil in fils]


def lancer(action):
    """Lance l'action dans son fil, sans l'attendre."""
    return Fil(action).demarrer()


def _sessions_en_attente_d_un_verrou():
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return curseur.fetchone()[0]


def attendre_bloque_ou_fini(fil):
    """Attend que l'action de `fil` soit arrêtée sur un verrou tenu par une autre
    transaction, ou qu'elle ait fini sans en rencontrer."""
    limite = time.monotonic() + DELAI
    while time.monotonic() < limite:
        if fil.est_fini() or _sessions_en_attente_d_un_verrou():
            return
        time.sleep(0.01)
    raise AssertionError("l'action n'a ni fini ni rencontré de verrou")


@contextmanager
def transaction_tenue(action):
    """Exécute `action` dans une transaction d'un autre fil et la garde ouverte (ses
    écritures invisibles aux autres, ses verrous tenus) jusqu'à la sortie du bloc, où elle
    est validée. Rend le `Fil` : `resultat()` après le bloc dit ce que l'action a rendu."""
    prete = threading.Event()
    relachee = threading.Event()

    def tenir():
        try:
            with transaction.atomic():
                resultat = action()
                prete.set()
                relachee.wait(timeout=DELAI)
            return resultat
        finally:
            prete.set()

    fil = lancer(tenir)
    prete.wait(timeout=DELAI)
    try:
        yield fil
    finally:
        relachee.set()
