"""Mettre une tâche Celery en file sans jamais faire échouer la requête."""

import logging
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)


def publier_au_commit(tache, **arguments):
    """Met `tache` en file avec ces arguments nommés au commit de la transaction en cours (tout
    de suite hors transaction), sans jamais faire échouer la requête qui a commité.

    Ce qu'elle a enregistré est sauvé : broker arrêté ou figé, la publication abandonne vite
    (délais et nouvelles tentatives courts, aap/settings.py), l'échec est journalisé en
    avertissement et la page annonce son succès. N'y passer qu'une tâche dont le travail est
    gardé en base et repris par un balayage : les messages « à envoyer » sont remis en file
    par messagerie.rattraper_envois, que beat lance régulièrement.
    """
    transaction.on_commit(partial(_publier, tache, arguments))


def _publier(tache, arguments):
    try:
        tache.apply_async(kwargs=arguments)
    except Exception as erreur:  # noqa: BLE001 - aucune panne du broker ne remonte à la requête
        logger.warning(
            "Tâche %s %s non mise en file, broker injoignable (%s) : le rattrapage la reprendra.",
            tache.name,
            arguments,
            erreur,
        )
