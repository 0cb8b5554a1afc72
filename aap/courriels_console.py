"""Le facteur de la démo (`make run` sans EMAIL_URL) : chaque courriel est écrit, lisible, dans
la console où tourne Relais, avec ses liens ; rien ne part vers l'extérieur.

Le facteur « console » de Django écrit le message MIME entier (en-têtes techniques, version
HTML, pièces en base64) : on n'y retrouve plus le lien de confirmation. Celui-ci n'écrit que
l'expéditeur, le destinataire, l'objet, le texte, les liens de la version HTML absents du texte
et le nom des pièces jointes.
"""

import re
import sys
import threading

from django.core.mail.backends.base import BaseEmailBackend

LIEN = re.compile(r"""https?://[^\s"'<>]+""")
FILET = "-" * 72


def texte_lisible(courriel):
    """Le courriel tel qu'une personne le lit, en texte brut."""
    lignes = [
        FILET,
        f"Courriel de : {courriel.from_email}",
        f"À : {', '.join(courriel.to)}",
        f"Objet : {courriel.subject}",
        "",
        courriel.body.rstrip(),
    ]
    liens_du_texte = set(LIEN.findall(courriel.body))
    liens_en_plus = []
    for contenu, type_mime in getattr(courriel, "alternatives", []):
        if type_mime == "text/html":
            for lien in LIEN.findall(contenu):
                if lien not in liens_du_texte and lien not in liens_en_plus:
                    liens_en_plus.append(lien)
    if liens_en_plus:
        lignes += ["", "Liens de la version HTML :", *(f"  {lien}" for lien in liens_en_plus)]
    noms = [
        piece[0] if isinstance(piece, tuple) else (piece.get_filename() or "pièce")
        for piece in courriel.attachments
    ]
    if noms:
        lignes += ["", "Pièces jointes : " + ", ".join(str(nom) for nom in noms)]
    lignes.append(FILET)
    return "\n".join(lignes) + "\n"


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        # La vraie sortie du processus : le worker Celery redirige sys.stdout vers ses
        # journaux, qui préfixeraient et couperaient chaque ligne du courriel.
        self.stream = stream or sys.__stdout__ or sys.stdout
        self._verrou = threading.RLock()

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        with self._verrou:
            for courriel in email_messages:
                self.stream.write(texte_lisible(courriel))
            self.stream.flush()
        return len(email_messages)
