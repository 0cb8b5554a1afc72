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


def test_sante_repond_503_quand_le_broker_ne_repond_pas(client):
    ancien = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        reponse = client.get("/sante/")
    finally:
        celery_app.conf.broker_url = ancien
    assert reponse.status_code == 503
    contenu = json.loads(reponse.content)
    assert (contenu["statut"], contenu["base_de_donnees"]) == ("degrade", "ok")
    assert "Connection refused" in contenu["broker"] or "111" in contenu["broker"]
