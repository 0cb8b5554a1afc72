"""Exactement une fois : balayages simultanés, et worker tué au milieu d'un balayage."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone
from kombu import Connection

from messagerie.enums import EtatMessage
from messagerie.models import Message
from relances import services
from relances.models import Relance
from tests.test_worker import _url_de_la_base_de_test

RACINE = Path(__file__).resolve().parents[2]


def _en_parallele(fonction, nombre=2):
    depart = threading.Barrier(nombre)
    resultats, erreurs = [], []

    def executer():
        try:
            depart.wait()
            resultats.append(fonction())
        except Exception as erreur:  # noqa: BLE001 - remontée au test ci-dessous
            erreurs.append(erreur)
        finally:
            connections.close_all()

    fils = [threading.Thread(target=executer) for _ in range(nombre)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(60)
    assert erreurs == []
    return resultats


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_deux_balayages_simultanes_creent_chaque_relance_une_fois(
    invitations_qui_expirent_demain,
):
    invitations_qui_expirent_demain(40)
    bilans = _en_parallele(services.balayer)
    assert sum(bilan.mises_en_envoi for bilan in bilans) == 40
    assert Relance.objects.count() == 40
    assert Message.objects.filter(type="relance_invitation_sans_reponse").count() == 40


def _demarrer_worker(env):
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
            "--loglevel=WARNING",
        ],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _attendre(condition, secondes=90):
    limite = time.monotonic() + secondes
    while time.monotonic() < limite:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _courriels_ecrits(dossier):
    return sum(
        fichier.read_text().count("\nSubject: ") + fichier.read_text().startswith("Subject: ")
        for fichier in Path(dossier).glob("*")
    )


@pytest.mark.parametrize("broker", ["embarque", pytest.param("redis", marks=pytest.mark.redis)])
@pytest.mark.django_db(transaction=True)
def test_worker_tue_en_plein_balayage_aucune_relance_perdue_ni_doublee(
    broker, tmp_path, invitations_qui_expirent_demain
):
    from aap.celery import app

    nombre = 1000
    invitations_qui_expirent_demain(nombre)
    if broker == "redis":
        url = os.environ["REDIS_URL"]
    else:
        url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    boite = tmp_path / "courriels"
    boite.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env.update(
        DATABASE_URL=_url_de_la_base_de_test(),
        CELERY_BROKER_URL=url,
        EMAIL_URL=f"filemail:///{boite}",
    )

    def envoyer_tache(nom):
        with Connection(url) as connexion:
            app.send_task(nom, connection=connexion)

    try:
        with Connection(url) as connexion:
            connexion.default_channel.queue_purge("celery")
        premier = _demarrer_worker(env)
        envoyer_tache("relances.balayer")
        assert _attendre(lambda: Relance.objects.count() >= 150), "le balayage n'a pas démarré"
        premier.send_signal(signal.SIGKILL)
        premier.wait(10)
        coupees = Relance.objects.count()
        assert coupees < nombre, "le worker a fini avant d'être tué : rien n'a été prouvé"

        second = _demarrer_worker(env)
        try:
            # Ce que beat ferait dans le quart d'heure : un nouveau balayage, puis le rattrapage
            # des messages dont l'envoi n'avait pas encore été mis en file.
            envoyer_tache("relances.balayer")
            assert _attendre(lambda: Relance.objects.count() == nombre)
            assert _attendre(lambda: not Message.objects.filter(etat=EtatMessage.EN_COURS).exists())
            # Le temps passe (plus de 2 minutes) pour les messages restés « à envoyer ».
            Message.objects.filter(etat=EtatMessage.A_ENVOYER).update(
                modifie_le=timezone.now() - timezone.timedelta(minutes=5)
            )
            envoyer_tache("messagerie.rattraper_envois")
            assert _attendre(
                lambda: Message.objects.filter(etat=EtatMessage.ENVOYE).count() == nombre
            ), Message.objects.exclude(etat=EtatMessage.ENVOYE).values_list("etat", "pk")[:5]
        finally:
            second.terminate()
            second.wait(20)
    finally:
        connection.close()

    assert 150 <= coupees < nombre
    assert Relance.objects.count() == nombre
    assert Message.objects.filter(type="relance_invitation_sans_reponse").count() == nombre
    assert Message.objects.values("cle").distinct().count() == Message.objects.count()
    assert _courriels_ecrits(boite) == nombre


def _brouillon_a_sept_jours():
    from tests.candidatures.factories import AppelFactory, CandidatureFactory, StructureFactory
    from tests.factories import UtilisateurFactory

    personne = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    date_limite = (timezone.localtime() + timezone.timedelta(days=7)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    appel = AppelFactory(ouvert=True, date_limite=date_limite)
    return CandidatureFactory(appel=appel, structure=StructureFactory(membres=[personne]))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_brouillon_j_moins_7_une_seule_fois_malgre_deux_balayages_simultanes():
    _brouillon_a_sept_jours()
    _en_parallele(services.balayer)
    assert list(Message.objects.values_list("type", "destinataire")) == [
        ("relance_brouillon_date_limite", "ccas@houplines.test")
    ]


@pytest.mark.parametrize("broker", ["embarque", pytest.param("redis", marks=pytest.mark.redis)])
@pytest.mark.django_db(transaction=True)
def test_vrai_worker_balayage_lance_deux_fois_un_seul_courriel_j_moins_7(broker, tmp_path):
    from aap.celery import app

    _brouillon_a_sept_jours()
    url = (
        os.environ["REDIS_URL"]
        if broker == "redis"
        else f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    )
    boite = tmp_path / "courriels"
    boite.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env.update(
        DATABASE_URL=_url_de_la_base_de_test(),
        CELERY_BROKER_URL=url,
        EMAIL_URL=f"filemail:///{boite}",
    )
    with Connection(url) as connexion:
        connexion.default_channel.queue_purge("celery")
        app.send_task("relances.balayer", connection=connexion)
        app.send_task("relances.balayer", connection=connexion)
    worker = _demarrer_worker(env)
    try:
        assert _attendre(
            lambda: Message.objects.filter(etat=EtatMessage.ENVOYE).exists(), secondes=60
        )
        time.sleep(2)  # laisse au second balayage le temps de passer
    finally:
        worker.terminate()
        worker.wait(20)
        connection.close()
    assert Relance.objects.count() == 1
    assert _courriels_ecrits(boite) == 1
