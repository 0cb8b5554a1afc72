"""Un PDF rendu dans une requête : un seul à la fois par personne.

WeasyPrint tient un processus (et le verrou global de Python d'un serveur à fils) tout le temps
de la mise en page : six téléchargements simultanés d'un long PDF par une même personne
prenaient ce temps six fois à tous les autres visiteurs. Le verrou vit dans le cache, partagé
par tous les processus web en production (Redis) ; sur un portable (cache en mémoire), il vaut
pour le serveur de développement, qui sert toutes les requêtes dans un seul processus. Il
expire seul si le processus qui le tient meurt.
"""

import uuid
from contextlib import contextmanager

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy

# Plus long que le plus long rendu fait dans une requête : au-delà, le verrou d'un processus
# tué se libère de lui-même.
DUREE_DU_VERROU = 120
# Ce qu'on propose d'attendre avant de réessayer (en-tête Retry-After).
ATTENTE_CONSEILLEE = 10


class RenduDejaEnCours(Exception):
    """La personne a déjà un PDF en cours de rendu."""

    message = gettext_lazy(
        "Un autre PDF est déjà en préparation pour vous. "
        "Attendez quelques secondes qu'il soit prêt, puis réessayez."
    )


@contextmanager
def un_rendu_a_la_fois(utilisateur):
    """Réserve à cette personne son unique rendu en cours, le temps du bloc ; lève
    `RenduDejaEnCours` si elle en a déjà un."""
    cle = f"aap:rendu-pdf-en-cours:{utilisateur.pk}"
    jeton = uuid.uuid4().hex
    if not cache.add(cle, jeton, DUREE_DU_VERROU):
        raise RenduDejaEnCours
    try:
        yield
    finally:
        # Un verrou expiré puis repris par une autre requête est à elle : on ne le libère pas.
        if cache.get(cle) == jeton:
            cache.delete(cle)


def reponse_rendu_deja_en_cours(request, *, retour=None):
    """429 avec une page dans la langue de la personne : rien n'a été rendu, on peut réessayer."""
    reponse = render(
        request,
        "rendu_pdf_deja_en_cours.html",
        {"message": RenduDejaEnCours.message, "retour": retour, "adresse": request.get_full_path()},
        status=429,
    )
    reponse["Retry-After"] = str(ATTENTE_CONSEILLEE)
    return reponse
