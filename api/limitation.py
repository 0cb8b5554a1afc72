"""Les limites de débit : par jeton (chaque jeton a la sienne, même à plusieurs par personne),
par adresse IP sans jeton. Lues dans les réglages à chaque requête (`RELAIS_API_LIMITES`).

Un compteur par fenêtre de temps (la minute de « 600/min »), incrémenté dans le cache, et la
fenêtre précédente pondérée par la part qui recouvre encore la dernière minute : le coût d'une
requête ne grandit pas avec le trafic. (La limite de DRF garde la liste des instants de toutes
les requêtes de la fenêtre, relue et réécrite à chaque requête : 600 dates par jeton actif.)
Juste après le changement de fenêtre, la précédente compte presque entière : une rafale à
cheval sur deux minutes est refusée comme dans une fenêtre glissante.

Redis injoignable, le cache répond vide (aap/cache.py) : les requêtes passent, comme avant."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from api.portee import jeton_de

SECONDES = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def lire_limite(texte):
    """« 600/min » → (600, 60) ; None → (None, None)."""
    if texte is None:
        return None, None
    nombre, periode = texte.split("/")
    return int(nombre), SECONDES[periode[0]]


class ParJeton(BaseThrottle):
    def __init__(self):
        self.attente = None

    def _cle(self, request, fenetre):
        jeton = jeton_de(request)
        identite = f"jeton-{jeton.pk}" if jeton else f"ip-{self.get_ident(request)}"
        return f"api:limite:{identite}:{fenetre}"

    def allow_request(self, request, view):
        portee = "jeton" if jeton_de(request) else "anonyme"
        nombre, duree = lire_limite(settings.RELAIS_API_LIMITES[portee])
        if nombre is None:
            return True
        maintenant = time.time()
        fenetre = int(maintenant // duree)
        ecoule = maintenant - fenetre * duree
        cle = self._cle(request, fenetre)
        precedente = cache.get(self._cle(request, fenetre - 1), 0)
        cache.add(cle, 0, duree * 2)
        try:
            courante = cache.incr(cle)
        except ValueError:  # effacée entre-temps, ou cache injoignable
            courante = 1
        estimation = precedente * (duree - ecoule) / duree + courante
        if estimation > nombre:
            self.attente = max(1.0, duree - ecoule)
            return False
        return True

    def wait(self):
        return self.attente
