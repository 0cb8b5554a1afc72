"""Une tâche exécutée par un vrai worker Celery, sur le broker embarqué et sur Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from kombu import Connection

from messagerie.enums import EtatMessage
from messagerie.models import Message
from messagerie.tasks import envoyer_message

RACINE = Path(__file__).resolve().parent.parent


def _url_de_la_base_de_test():
    reglages = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{reglages['NAME']}"
    utilisateur = reglages["USER"] or "postgres"
    mot_de_passe = f":{reglages['PASSWORD']}" if reglages["PASSWORD"] else ""
    return (
        f"postgres://{utilisateur}{mot_de_passe}@{reglages['HOST'] or '127.0.0.1'}:"
        f"{reglages['PORT'] or 5432}/{reglages['NAME']}"
    )


def _executer_par_un_vrai_worker(broker_url, variables):
    message = Message.objects.create(
        type="essai", destinataire="essai@exemple.test", sujet="Essai", corps_texte="Bonjour"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env.update(variables, DATABASE_URL=_url_de_la_base_de_test(), EMAIL_URL="dummymail://")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "aap",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=RACINE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with Connection(broker_url) as connexion:
            envoyer_message.apply_async(kwargs={"message_id": message.pk}, connection=connexion)
        limite = time.monotonic() + 60
        while time.monotonic() < limite and worker.poll() is None:
            etat = Message.objects.filter(pk=message.pk).values_list("etat", flat=True).get()
            if etat == EtatMessage.ENVOYE:
                break
            time.sleep(0.3)
    finally:
        worker.terminate()
        try:
            journal, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            journal, _ = worker.communicate()
    return Message.objects.get(pk=message.pk), journal


@pytest.mark.django_db(transaction=True)
def test_vrai_worker_sur_le_broker_embarque(tmp_path):
    broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    message, journal = _executer_par_un_vrai_worker(broker, {"CELERY_BROKER_URL": broker})
    assert (message.etat, message.tentatives) == (EtatMessage.ENVOYE, 1), journal
    assert "messagerie.envoyer_message" in journal


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_vrai_worker_sur_redis():
    broker = os.environ["REDIS_URL"]
    message, journal = _executer_par_un_vrai_worker(broker, {"REDIS_URL": broker})
    assert (message.etat, message.tentatives) == (EtatMessage.ENVOYE, 1), journal
    assert "messagerie.envoyer_message" in journal
