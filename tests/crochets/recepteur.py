"""Un vrai récepteur HTTP local (http.server dans un fil, sur 127.0.0.1, port choisi par le
système) : il garde chaque requête reçue et répond ce que le test lui dit (un statut, ou une
attente plus longue que le délai du client)."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Requete:
    chemin: str
    entetes: dict
    corps: bytes


@dataclass
class Recepteur:
    url: str
    requetes: list = field(default_factory=list)
    # Les statuts des réponses suivantes, dans l'ordre ; ensuite `statut_par_defaut`.
    statuts: list = field(default_factory=list)
    statut_par_defaut: int = 200
    attente: float = 0.0
    _verrou: threading.Lock = field(default_factory=threading.Lock)

    def repondre(self, *statuts, ensuite=None):
        self.statuts = list(statuts)
        if ensuite is not None:
            self.statut_par_defaut = ensuite


def demarrer():
    """(récepteur, arrêt) : le serveur tourne jusqu'à l'appel de `arrêt()`."""
    etat = {}

    class Gestionnaire(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - nom imposé par http.server
            recepteur = etat["recepteur"]
            corps = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with recepteur._verrou:
                recepteur.requetes.append(Requete(self.path, dict(self.headers.items()), corps))
                statut = (
                    recepteur.statuts.pop(0) if recepteur.statuts else recepteur.statut_par_defaut
                )
            if recepteur.attente:
                time.sleep(recepteur.attente)
            try:
                self.send_response(statut)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                message = b"ok" if statut < 300 else b"panne du recepteur"
                self.send_header("Content-Length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)
            except (BrokenPipeError, ConnectionResetError):
                pass  # le client a abandonné (délai dépassé)

        def log_message(self, *args):
            pass

    serveur = ThreadingHTTPServer(("127.0.0.1", 0), Gestionnaire)
    serveur.daemon_threads = True
    hote, port = serveur.server_address
    etat["recepteur"] = Recepteur(url=f"http://{hote}:{port}/crochet")
    fil = threading.Thread(
        target=serveur.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    fil.start()

    def arreter():
        serveur.shutdown()
        serveur.server_close()

    return etat["recepteur"], arreter
