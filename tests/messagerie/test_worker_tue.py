"""Un vrai worker Celery tué (SIGKILL) juste après que le serveur SMTP a accepté un courriel,
avant qu'il ait noté l'envoi : un autre worker reprend le message à l'expiration du bail, chaque
message finit « envoyé » une fois, et le courriel livré deux fois porte deux fois le même
Message-ID."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from kombu import Connection

from journal.models import Evenement
from messagerie.enums import EtatMessage
from messagerie.models import Message
from tests.messagerie.serveur_smtp import ServeurSmtpLocal
from tests.test_worker import _url_de_la_base_de_test

RACINE = Path(__file__).resolve().parents[2]
NOMBRE = 12
# Un bail court pour que le test reste court ; la règle `manage.py check` (au moins deux délais
# SMTP) est tenue.
BAIL_SECONDES = 4
DELAI_SMTP_SECONDES = 2


def _demarrer_worker(env, journal):
    return subprocess.Popen(
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
        stdout=journal.open("w"),
        stderr=subprocess.STDOUT,
    )


def _attendre(condition, secondes=90):
    limite = time.monotonic() + secondes
    while time.monotonic() < limite:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _envoyes():
    return Message.objects.filter(etat=EtatMessage.ENVOYE).count()


@pytest.mark.parametrize("broker", ["embarque", pytest.param("redis", marks=pytest.mark.redis)])
@pytest.mark.django_db(transaction=True)
def test_worker_tue_apres_acceptation_smtp_repris_au_bail_meme_message_id(broker, tmp_path):
    from aap.celery import app

    url = (
        os.environ["REDIS_URL"]
        if broker == "redis"
        else f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    )
    messages = [
        Message.objects.create(
            cle=f"rappel:formation:{n}:J-1:referent{n}@ccas.test",
            type="rappel_convocation",
            destinataire=f"referent{n}@ccas.test",
            sujet="[Relais] Rappel : formation demain",
            corps_texte="Bonjour,\nLa formation a lieu demain à 9 h.",
        )
        for n in range(NOMBRE)
    ]
    journaux = tmp_path / "premier.log", tmp_path / "second.log"

    def journal_des_workers():
        return "\n".join(f.read_text()[-3000:] for f in journaux if f.exists())

    with ServeurSmtpLocal(figer_apres_le_premier_message=True) as serveur:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
        env.update(
            DATABASE_URL=_url_de_la_base_de_test(),
            CELERY_BROKER_URL=url,
            EMAIL_URL=f"smtp://127.0.0.1:{serveur.port}",
            EMAIL_TIMEOUT=str(DELAI_SMTP_SECONDES),
            MESSAGERIE_DUREE_BAIL_SECONDES=str(BAIL_SECONDES),
        )
        with Connection(url) as connexion:
            connexion.default_channel.queue_purge("celery")
            for message in messages:
                # send_task publie toujours, même si un autre test a laissé les tâches
                # s'exécuter sur place.
                app.send_task(
                    "messagerie.envoyer_message",
                    kwargs={"message_id": message.pk},
                    connection=connexion,
                )

        premier = _demarrer_worker(env, journaux[0])
        try:
            # Le serveur a accepté le premier courriel et fait attendre le worker : on le tue.
            assert serveur.fige.wait(90), journal_des_workers()
        finally:
            premier.send_signal(signal.SIGKILL)
            premier.wait(10)
        (bloque,) = Message.objects.filter(etat=EtatMessage.EN_COURS)
        assert (bloque.tentatives, _envoyes()) == (1, 0)
        assert serveur.identifiants == [bloque.identifiant_courriel]

        second = _demarrer_worker(env, journaux[1])
        try:
            assert _attendre(lambda: _envoyes() == NOMBRE - 1), journal_des_workers()
            # Sans rattrapage, le message du worker tué reste « en cours » : personne ne le
            # reprend tant que son bail court.
            assert Message.objects.get(pk=bloque.pk).etat == EtatMessage.EN_COURS
            attente = (bloque.bail_expire_le - timezone.now()).total_seconds()
            time.sleep(max(0.0, attente) + 0.5)
            # Ce que beat lance chaque minute.
            with Connection(url) as connexion:
                app.send_task("messagerie.rattraper_envois", connection=connexion)
            assert _attendre(lambda: _envoyes() == NOMBRE, secondes=30), journal_des_workers()
        finally:
            second.terminate()
            second.wait(20)
            connection.close()

    lignes = {m.pk: (m.etat, m.tentatives) for m in Message.objects.all()}
    assert lignes == {m.pk: (EtatMessage.ENVOYE, 2 if m.pk == bloque.pk else 1) for m in messages}
    # Un seul courriel livré deux fois, celui du worker tué, avec le même Message-ID.
    assert Counter(serveur.identifiants) == {
        m.identifiant_courriel: 2 if m.pk == bloque.pk else 1 for m in messages
    }
    assert (
        Evenement.objects.changements_d_etat()
        .filter(cible_id=bloque.pk, cible_type__model="message", vers="envoye")
        .count()
        == 1
    )
