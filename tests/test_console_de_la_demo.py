"""Ce que la console de `make run` montre, et ce que le navigateur trouve à la racine du site
(issue #15, points 26 et 27)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from demo.management.commands.servir_demo import adresse_d_ecoute

RACINE = Path(__file__).resolve().parent.parent

LIRE_NIVEAUX = """
import logging, django
django.setup()
for nom in ("fontTools.subset", "fontTools.ttLib.ttFont", "weasyprint.progress", "weasyprint"):
    print(nom, logging.getLevelName(logging.getLogger(nom).getEffectiveLevel()))
"""


def test_les_polices_et_les_etapes_des_pdf_ne_remplissent_pas_la_console():
    env = {k: v for k, v in os.environ.items() if k != "LOG_LEVEL"}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="aap.settings")
    sortie = subprocess.run(
        [sys.executable, "-c", LIRE_NIVEAUX],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert sortie.stdout.splitlines() == [
        "fontTools.subset WARNING",
        "fontTools.ttLib.ttFont WARNING",
        "weasyprint.progress WARNING",
        "weasyprint WARNING",
    ]
    assert logging.getLogger("django.request").getEffectiveLevel() == logging.INFO


@pytest.mark.parametrize(
    ("site_url", "adresse"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("http://localhost:8080/", "localhost:8080"),
        ("http://relais.local", "relais.local:80"),
    ],
)
def test_le_serveur_de_la_demo_ecoute_a_l_adresse_de_site_url(site_url, adresse):
    assert adresse_d_ecoute(site_url) == adresse


def test_make_run_sert_l_adresse_de_site_url():
    procfile = (RACINE / "Procfile").read_text().splitlines()
    makefile = (RACINE / "Makefile").read_text()

    assert procfile[0] == "web: python manage.py servir_demo"
    assert "SITE_URL ?= http://127.0.0.1:8000\n" in makefile
    assert "DEMO_ENV := DEBUG=1 SITE_URL=$(SITE_URL)\n" in makefile


@pytest.mark.django_db
def test_favicon_servi_a_la_racine_et_annonce_par_chaque_page(client):
    reponse = client.get("/favicon.ico")
    page = client.get("/").content.decode()

    assert reponse.status_code == 200
    assert reponse["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(reponse.streaming_content)[:4] == b"\x00\x00\x01\x00"
    assert '<link rel="icon" href="/favicon.ico" sizes="any">' in page
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert client.get("/static/img/favicon.svg").status_code == 200
