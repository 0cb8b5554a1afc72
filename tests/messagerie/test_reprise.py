"""Chaque message de la boîte d'envoi part avec un Message-ID stable, tiré de sa clé."""

import re

import pytest
from django.utils import timezone

from messagerie import services
from messagerie.models import Message
from tests.messagerie.serveur_smtp import (
    ServeurLent,
    ServeurPuisWorkerTue,
    ServeurSmtpLocal,
)

pytestmark = pytest.mark.django_db

SECONDE = timezone.timedelta(seconds=1)
REPRISE = "Bail expiré : envoi interrompu, repris automatiquement"


@pytest.fixture(autouse=True)
def taches_immediates(settings):
    from aap.celery import app

    avant = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = avant


@pytest.fixture
def serveur(settings):
    """Un vrai serveur SMTP local, joint par le client SMTP de Django."""
    with ServeurSmtpLocal() as serveur:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = serveur.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        settings.DEFAULT_FROM_EMAIL = "Relais <ne-pas-repondre@relais.exemple.org>"
        yield serveur
    ServeurPuisWorkerTue.morts_restantes = 0
    ServeurLent.pendant_l_envoi = None
    ServeurLent.coupe_ensuite = False


def _message(cle="rappel:brouillon:42:J-7:ines@exemple.test", destinataire="ines@exemple.test"):
    """Un message dans la boîte d'envoi, dont l'envoi n'est pas encore parti."""
    return Message.objects.create(
        cle=cle,
        type="relance_brouillon_date_limite",
        destinataire=destinataire,
        sujet="[Relais] Votre candidature n'est pas encore déposée",
        corps_texte="Bonjour,\nIl reste 7 jours pour déposer votre candidature.",
    )


def test_message_id_derive_de_la_cle_le_meme_a_chaque_lecture(serveur):
    avec_cle = _message()
    sans_cle = _message(cle=None, destinataire="paul@exemple.test")
    identifiant = Message.objects.get(pk=avec_cle.pk).identifiant_courriel
    assert re.fullmatch(r"<relais\.[0-9a-f]{32}@relais\.exemple\.org>", identifiant)
    assert identifiant == avec_cle.identifiant_courriel
    assert re.fullmatch(
        r"<relais\.[0-9a-f]{32}@relais\.exemple\.org>", sans_cle.identifiant_courriel
    )
    assert sans_cle.identifiant_courriel != identifiant

    assert [services.envoyer(m.pk) for m in (avec_cle, sans_cle)] == [True, True]
    assert serveur.identifiants == [identifiant, sans_cle.identifiant_courriel]
