"""Le cache sur Redis (aap.cache) : Redis arrêté ou figé, il se lit vide, n'enregistre rien,
répond vite, prévient une fois, et reprend Redis quand Redis revient."""

import logging
import time

import pytest

from aap import cache as module_cache
from aap.cache import PAUSE_APRES_ECHEC, CacheRedisTolerant
from tests.redis_jetable import RedisJetable

pytestmark = pytest.mark.redis

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture
def redis(tmp_path):
    serveur = RedisJetable(tmp_path)
    serveur.demarrer()
    yield serveur
    serveur.fermer()


def _cache(redis):
    return CacheRedisTolerant(f"{redis.url}/1", {"OPTIONS": OPTIONS})


def _avertissements(caplog):
    return [
        (enregistrement.levelname, enregistrement.getMessage().split(" (")[0])
        for enregistrement in caplog.records
        if enregistrement.name == "aap.cache"
    ]


def test_redis_arrete_le_cache_se_lit_vide_et_n_enregistre_rien(redis, caplog):
    cache = _cache(redis)
    cache.set("bilan", {"structures": 3})
    assert cache.get("bilan") == {"structures": 3}
    redis.arreter()

    with caplog.at_level(logging.WARNING, logger="aap.cache"):
        lus = {
            "get": cache.get("bilan", "absent"),
            "get_many": cache.get_many(["bilan"]),
            "has_key": cache.has_key("bilan"),
            "get_or_set": cache.get_or_set("bilan", "recalculé"),
            "add": cache.add("verrou", True),
            "set": cache.set("bilan", {"structures": 4}),
            "set_many": cache.set_many({"a": 1, "b": 2}),
            "touch": cache.touch("bilan"),
            "delete": cache.delete("bilan"),
            "delete_many": cache.delete_many(["a", "b"]),
            "clear": cache.clear(),
        }
        with pytest.raises(ValueError, match="Key 'compteur' not found"):
            cache.incr("compteur")

    assert lus == {
        "get": "absent",
        "get_many": {},
        "has_key": False,
        "get_or_set": "recalculé",
        # allauth prend ses verrous par `add` : « ajouté », la connexion n'attend pas.
        "add": True,
        "set": None,
        "set_many": ["a", "b"],
        "touch": False,
        "delete": False,
        "delete_many": None,
        "clear": False,
    }
    # Un avertissement pour la panne, pas une trace par opération.
    assert _avertissements(caplog) == [("WARNING", "Cache Redis injoignable")]


def test_redis_fige_chaque_page_n_attend_qu_une_fois_le_delai(redis, caplog):
    cache = _cache(redis)
    cache.set("bilan", 3)
    redis.figer()
    debut = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="aap.cache"):
        lus = [cache.get("bilan", "absent") for _ in range(10)]
    duree = time.monotonic() - debut
    assert lus == ["absent"] * 10
    # La première lecture attend le délai (0,5 s), les neuf suivantes ne tentent plus Redis.
    assert 0.4 < duree < 1.5, duree
    assert _avertissements(caplog) == [("WARNING", "Cache Redis injoignable")]
    redis.degeler()


def test_redis_revenu_le_cache_resert_apres_la_pause(redis, monkeypatch):
    cache = _cache(redis)
    redis.arreter()
    assert cache.get("bilan") is None
    redis.demarrer()
    # Pendant la pause, Redis n'est pas retenté, même revenu.
    cache.set("bilan", 3)
    assert cache.get("bilan") is None
    plus_tard = time.monotonic() + PAUSE_APRES_ECHEC + 1
    monkeypatch.setattr(module_cache, "monotonic", lambda: plus_tard)
    cache.set("bilan", 3)
    assert cache.get("bilan") == 3
