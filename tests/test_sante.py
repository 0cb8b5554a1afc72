import json

import pytest

from aap.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_sante_repond_200_quand_tout_va_bien(client):
    reponse = client.get("/sante/")
    assert reponse.status_code == 200
    assert json.loads(reponse.content) == {
        "statut": "ok",
        "base_de_donnees": "ok",
        "broker": "ok",
    }


def test_sante_repond_503_sans_detail_interne_quand_le_broker_ne_repond_pas(client, caplog):
    ancien = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        reponse = client.get("/sante/")
    finally:
        celery_app.conf.broker_url = ancien
    assert reponse.status_code == 503
    # Anyone can read the probe: it says which service is down, never where it lives.
    assert json.loads(reponse.content) == {
        "statut": "degrade",
        "base_de_donnees": "ok",
        "broker": "indisponible",
    }
    assert b"127.0.0.1" not in reponse.content
    # The detail is for whoever reads the server's logs.
    panne = [r for r in caplog.records if r.name == "aap.views"]
    assert [r.getMessage() for r in panne] == ["Sonde de santé : broker Celery injoignable"]
    assert "Connection refused" in panne[0].exc_text or "111" in panne[0].exc_text
