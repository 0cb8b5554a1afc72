"""Le cache sur Redis, qui se passe de Redis quand Redis ne répond plus.

Rien n'y vit que la base ne sache refaire : le bilan d'un appel (sa clé dérive de jetons lus en
base, voir activite/versions.py) et les compteurs de tentatives d'allauth. Redis arrêté ou figé,
une lecture est donc un défaut de cache, une écriture ne fait rien, et la page se calcule depuis
la base au lieu de répondre 500. Règle pour tout nouvel usage du cache : une écriture ou un
effacement perdu pendant une panne ne doit rien fausser (une clé tirée de l'état de la base,
jamais un effacement dont dépendrait la justesse d'une page).

Après un échec, ce processus laisse Redis de côté `PAUSE_APRES_ECHEC` secondes : une page qui
touche dix fois le cache n'attend pas dix fois le délai d'un Redis figé, et le journal reçoit
un avertissement par pause plutôt qu'une trace par lecture.
"""

import logging
from functools import partial
from time import monotonic

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisInjoignable
from redis.exceptions import TimeoutError as RedisMuet

logger = logging.getLogger(__name__)

PAUSE_APRES_ECHEC = 5

# Serveurs Redis → instant (horloge monotone) avant lequel ce processus ne les tente plus.
_en_pause_jusqu_a = {}
_ABSENTE = object()


class CacheRedisTolerant(RedisCache):
    """Le cache Redis de Django ; Redis injoignable ou muet, chaque opération rend ce qu'elle
    rendrait sur un cache vide qui n'enregistre rien.

    Seul `add` répond « ajouté » : allauth s'en sert comme d'un verrou autour de ses limites de
    tentatives (refusé, chaque connexion attendrait une seconde puis serait refusée en 429) et
    comme marque d'un code TOTP déjà utilisé. Pendant une panne, ces limites et cette marque
    laissent donc passer ; django-axes, qui compte les mots de passe refusés en base, bloque
    toujours."""

    def _tenter(self, operation, repli):
        serveurs = tuple(self._servers)
        if monotonic() < _en_pause_jusqu_a.get(serveurs, 0):
            return repli
        try:
            return operation()
        except (RedisInjoignable, RedisMuet) as erreur:
            _en_pause_jusqu_a[serveurs] = monotonic() + PAUSE_APRES_ECHEC
            logger.warning(
                "Cache Redis injoignable (%s) : laissé de côté %s s, les pages se calculent "
                "depuis la base.",
                erreur,
                PAUSE_APRES_ECHEC,
            )
            return repli

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tenter(partial(super().add, key, value, timeout, version), True)

    def get(self, key, default=None, version=None):
        return self._tenter(partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._tenter(partial(super().set, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._tenter(partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._tenter(partial(super().delete, key, version), False)

    def get_many(self, keys, version=None):
        return self._tenter(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._tenter(partial(super().has_key, key, version), False)

    def incr(self, key, delta=1, version=None):
        valeur = self._tenter(partial(super().incr, key, delta, version), _ABSENTE)
        if valeur is _ABSENTE:
            # Ce que fait Django pour une clé absente : le cache vide n'en a aucune.
            raise ValueError(f"Key '{key}' not found")
        return valeur

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Les clés non enregistrées : toutes, pendant une panne.
        return self._tenter(partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        self._tenter(partial(super().delete_many, keys, version), None)

    def clear(self):
        return self._tenter(super().clear, False)
