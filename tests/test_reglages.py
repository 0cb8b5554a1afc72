"""Le même module de réglages sert les deux façons de faire tourner Relais."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent

LIRE_REGLAGES = """
import json, django
django.setup()
from django.conf import settings
from aap.celery import app
base = settings.DATABASES["default"]
print(json.dumps({
    "moteur": base["ENGINE"],
    "nom": str(base["NAME"]),
    "options": base.get("OPTIONS", {}),
    "broker": app.conf.broker_url,
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
}))
"""


def _reglages(**variables):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env.update(variables, DJANGO_SETTINGS_MODULE="aap.settings")
    sortie = subprocess.run(
        [sys.executable, "-c", LIRE_REGLAGES],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def test_par_defaut_sqlite_en_wal_et_broker_embarque():
    reglages = _reglages()
    assert reglages["moteur"] == "noyau.bd.sqlite3"
    assert reglages["nom"] == str(RACINE / "var" / "relais.sqlite3")
    assert reglages["options"]["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL;" in reglages["options"]["init_command"]
    assert reglages["broker"] == f"sqla+sqlite:///{RACINE / 'var' / 'celery-broker.sqlite3'}"
    assert reglages["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_postgresql_et_redis_depuis_l_environnement():
    reglages = _reglages(
        DATABASE_URL="postgres://relais:secret@db.example:5432/relais",
        REDIS_URL="redis://cache.example:6379/2",
    )
    assert reglages["moteur"] == "noyau.bd.postgresql"
    assert reglages["nom"] == "relais"
    assert reglages["broker"] == "redis://cache.example:6379/2"
    assert reglages["cache"] == "aap.cache.CacheRedisTolerant"


def test_secret_key_exigee_hors_debug():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    resultat = subprocess.run(
        [sys.executable, "-c", LIRE_REGLAGES],
        cwd=RACINE,
        env={**env, "DJANGO_SETTINGS_MODULE": "aap.settings"},
        capture_output=True,
        text=True,
    )
    assert resultat.returncode == 1
    assert "Set the SECRET_KEY environment variable" in resultat.stderr


@pytest.mark.parametrize(
    "hotes", [{"ALLOWED_HOSTS": "relais.example.org"}, {}], ids=["hotes-nommes", "par-defaut"]
)
def test_check_deploy_sans_avertissement_avec_les_variables_de_production(hotes):
    reglages_de_test = (
        "SECURE_SSL_REDIRECT",
        "STATIC_MANIFEST",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "ALLOWED_HOSTS",
        "RELAIS_DERRIERE_UN_PROXY",
    )
    env = {k: v for k, v in os.environ.items() if k not in reglages_de_test}
    env.update(
        DEBUG="0",
        SECRET_KEY="production-" + "s3cr3t-" * 8,
        **hotes,
        DATABASE_URL=f"sqlite:///{RACINE / 'var' / 'check-deploy.sqlite3'}",
        DJANGO_SETTINGS_MODULE="aap.settings",
    )
    resultat = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert resultat.stderr + resultat.stdout == "System check identified no issues (0 silenced).\n"
    assert resultat.returncode == 0
