"""Un vrai serveur SMTP local (aiosmtpd) pour les tests : il garde ce qu'il reçoit.

Il peut se figer après avoir accepté son premier message, avant de répondre au QUIT qui suit :
le client (un worker) a alors remis le courriel, le serveur l'a pris en charge, et le worker
attend encore. Un worker tué à cet instant laisse un courriel livré mais pas marqué envoyé.
"""

import asyncio
import smtplib
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from django.core.mail.backends.smtp import EmailBackend


def _port_libre():
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return prise.getsockname()[1]


class ServeurSmtpLocal:
    def __init__(self, *, figer_apres_le_premier_message=False):
        self.recus = []
        self.fige = threading.Event()
        self._liberer = threading.Event()
        self._figer = figer_apres_le_premier_message
        self.port = _port_libre()
        self._controleur = Controller(self, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self._controleur.start()
        return self

    def __exit__(self, *erreur):
        self._liberer.set()
        self._controleur.stop()

    @property
    def identifiants(self):
        """Le Message-ID de chaque courriel reçu, dans l'ordre d'arrivée."""
        return [courriel["Message-ID"] for courriel in self.recus]

    async def handle_DATA(self, server, session, envelope):
        self.recus.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepte"

    async def handle_QUIT(self, server, session, envelope):
        if self._figer and not self.fige.is_set() and self.recus:
            self.fige.set()
            while not self._liberer.is_set():
                await asyncio.sleep(0.05)
        return "221 Au revoir"


class WorkerTue(BaseException):
    """Le processus du worker meurt (kill -9) : plus aucune ligne de notre code ne s'exécute,
    pas même un `except Exception`."""


class ServeurPuisWorkerTue(EmailBackend):
    """Le vrai client SMTP de Django : le serveur accepte le courriel, puis le worker meurt
    avant d'avoir pu noter l'envoi (`morts_restantes` fois)."""

    morts_restantes = 0

    def send_messages(self, messages):
        envoyes = super().send_messages(messages)
        if ServeurPuisWorkerTue.morts_restantes > 0:
            ServeurPuisWorkerTue.morts_restantes -= 1
            raise WorkerTue
        return envoyes


class ServeurLent(EmailBackend):
    """Un serveur si lent que le bail du worker expire pendant l'échange : `pendant_l_envoi`
    (une fois) fait ce que le reste du monde fait pendant ce temps ; puis le serveur accepte,
    ou coupe la connexion si `coupe_ensuite`."""

    pendant_l_envoi = None
    coupe_ensuite = False

    def send_messages(self, messages):
        pendant, ServeurLent.pendant_l_envoi = ServeurLent.pendant_l_envoi, None
        if pendant is not None:
            pendant()
            if ServeurLent.coupe_ensuite:
                raise smtplib.SMTPServerDisconnected("Connexion fermée par le serveur")
        return super().send_messages(messages)
