"""Un redis-server propre à un test, qu'il arrête ou fige à volonté pour éprouver une panne."""

import signal
import socket
import subprocess
import time


def port_libre():
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return prise.getsockname()[1]


def attendre(condition, secondes, pas=0.1):
    limite = time.monotonic() + secondes
    while time.monotonic() < limite:
        if condition():
            return True
        time.sleep(pas)
    return False


def repond(port):
    try:
        with socket.create_connection(("127.0.0.1", port), 0.2):
            return True
    except OSError:
        return False


class RedisJetable:
    """Un redis-server à ce test, sans rien écrire sur disque, sur un port libre."""

    def __init__(self, dossier):
        self.port = port_libre()
        self.dossier = dossier
        self.processus = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def demarrer(self):
        self.processus = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.dossier)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert attendre(lambda: repond(self.port), 10), "redis-server n'a pas démarré"

    def arreter(self):
        self.processus.terminate()
        self.processus.wait(10)
        assert not repond(self.port)

    def figer(self):
        self.processus.send_signal(signal.SIGSTOP)

    def degeler(self):
        self.processus.send_signal(signal.SIGCONT)

    def fermer(self):
        if self.processus and self.processus.poll() is None:
            self.processus.send_signal(signal.SIGCONT)
            self.processus.kill()
            self.processus.wait(10)
