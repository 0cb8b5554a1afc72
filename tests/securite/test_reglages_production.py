"""Réglages de sécurité tels que la production les lit (DEBUG=0) et tels que la démo les lit."""

import json
import os
import subprocess
import sys

from django.conf import settings

LIRE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({nom: getattr(s, nom) for nom in %r}))
"""

NOMS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_AGE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "MFA_OBLIGATOIRE_GESTIONNAIRES",
    "AXES_ENABLED",
    "AXES_FAILURE_LIMIT",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "FILE_UPLOAD_MAX_MEMORY_SIZE",
]


def _lire(noms=NOMS, **variables):
    # The test environment's own values (tests/environnement.py) are removed: these tests read
    # what a deployment gets when it does not set them.
    a_retirer = (
        "DEBUG",
        "MFA_OBLIGATOIRE_GESTIONNAIRES",
        "SECURE_SSL_REDIRECT",
        "ALLOWED_HOSTS",
        "RELAIS_DERRIERE_UN_PROXY",
        "SITE_URL",
    )
    env = {k: v for k, v in os.environ.items() if k not in a_retirer}
    env.update(variables, DJANGO_SETTINGS_MODULE="aap.settings")
    sortie = subprocess.run(
        [sys.executable, "-c", LIRE % list(noms)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(sortie.stdout.strip().splitlines()[-1])


def test_reglages_de_production():
    assert _lire(DEBUG="0", SECRET_KEY="production-" + "x" * 50) == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_AGE": 8 * 3600,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "MFA_OBLIGATOIRE_GESTIONNAIRES": True,
        "AXES_ENABLED": True,
        "AXES_FAILURE_LIMIT": 5,
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 2621440,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": 2621440,
    }


def test_demo_en_debug_sans_cookie_securise_ni_double_authentification():
    reglages = _lire(DEBUG="1")
    assert reglages["SESSION_COOKIE_SECURE"] is False
    assert reglages["MFA_OBLIGATOIRE_GESTIONNAIRES"] is False


def test_production_ne_sert_que_la_boucle_locale_tant_que_ses_hotes_ne_sont_pas_nommes():
    reglages = _lire(["ALLOWED_HOSTS"], DEBUG="0", SECRET_KEY="production-" + "x" * 50)
    assert reglages == {"ALLOWED_HOSTS": ["127.0.0.1", "localhost"]}


def test_x_forwarded_proto_n_est_cru_que_derriere_le_proxy():
    noms = ["SECURE_PROXY_SSL_HEADER"]
    production = {"DEBUG": "0", "SECRET_KEY": "production-" + "x" * 50}
    assert _lire(noms, **production) == {"SECURE_PROXY_SSL_HEADER": None}
    assert _lire(noms, RELAIS_DERRIERE_UN_PROXY="1", **production) == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]
    }
