"""Le démarrage en forme de production : gunicorn avec gunicorn.conf.py, et la sonde qui attend
que le site soit prêt avant de lui envoyer du trafic."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

RACINE = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).with_name("gunicorn")
ATTENDRE = [sys.executable, str(RACINE / "scripts" / "attendre_sante.py")]


def _port_libre():
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return prise.getsockname()[1]


def _url_de_la_base_de_test():
    base = settings.DATABASES["default"]
    if base["ENGINE"] == "noyau.bd.sqlite3":
        return f"sqlite:///{base['NAME']}"
    return f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/{base['NAME']}"


def test_gunicorn_charge_l_application_avant_de_lancer_ses_workers():
    """Un worker qui importe Django, WeasyPrint et le reste à son démarrage, sous charge,
    dépassait les 30 s de gunicorn et était tué avant sa première requête."""
    sortie = subprocess.run(
        [str(GUNICORN), "aap.wsgi", "-c", "gunicorn.conf.py", "--print-config"],
        cwd=RACINE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    reglages = dict(
        (cle.strip(), valeur.strip())
        for cle, _egal, valeur in (ligne.partition("=") for ligne in sortie.splitlines())
    )
    assert (reglages["preload_app"], reglages["timeout"], reglages["post_fork"]) == (
        "True",
        "120",
        "<post_fork()>",
    )


@pytest.mark.django_db(transaction=True)
def test_la_sonde_attend_que_gunicorn_reponde_puis_dit_pret():
    port = _port_libre()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "production-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": _url_de_la_base_de_test(),
        "WEB_CONCURRENCY": "2",
    }
    serveur = subprocess.Popen(
        [str(GUNICORN), "aap.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        debut = time.monotonic()
        # Started at once, while gunicorn is still importing: the probe waits instead of failing.
        sonde = subprocess.run(
            [*ATTENDRE, f"http://127.0.0.1:{port}/sante/", "--delai", "60"],
            capture_output=True,
            text=True,
        )
        duree = time.monotonic() - debut
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)
    assert (sonde.returncode, sonde.stdout) == (
        0,
        f"Relais est prêt : http://127.0.0.1:{port}/sante/\n",
    )
    assert duree < 60


def test_la_sonde_echoue_en_francais_quand_rien_ne_repond():
    port = _port_libre()
    sonde = subprocess.run(
        [*ATTENDRE, f"http://127.0.0.1:{port}/sante/", "--delai", "1"],
        capture_output=True,
        text=True,
    )
    assert sonde.returncode == 1
    assert sonde.stderr.startswith(
        f"Relais n'est pas prêt après 1 s : http://127.0.0.1:{port}/sante/ ("
    )
