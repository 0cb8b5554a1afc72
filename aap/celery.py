"""The Celery application, its one beat schedule, and the one way to queue a task from a
request (`publier_au_commit`)."""

import logging
import os
from functools import partial

from celery import Celery
from celery.schedules import crontab
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aap.settings")

logger = logging.getLogger(__name__)

app = Celery("aap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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


app.conf.beat_schedule = {
    # Rattrape les messages dont l'envoi n'a pas été mis en file (broker injoignable au
    # moment du commit) ou dont le worker est mort en cours (bail expiré) : chaque minute, pour
    # qu'un envoi interrompu reparte au plus une minute après la fin de son bail. La requête ne
    # lit qu'un index partiel des messages en cours.
    "messagerie-rattraper-envois": {
        "task": "messagerie.rattraper_envois",
        "schedule": crontab(minute="*"),
    },
    # Un appel ouvert se clôt dans la minute qui suit sa date limite ; sans effet la 2e fois.
    "candidatures-clore-appels-echus": {
        "task": "candidatures.clore_appels_echus",
        "schedule": crontab(minute="*"),
    },
    # Relances : un balayage toutes les 15 minutes, exactement une fois grâce aux clés uniques.
    "relances-balayer": {"task": "relances.balayer", "schedule": crontab(minute="*/15")},
    # Rappels J-7 et J-1 aux référents convoqués à une formation (clé unique par rappel).
    "accompagnement-rappeler-convocations": {
        "task": "accompagnement.rappeler_convocations",
        "schedule": crontab(minute=5),
    },
    # Traces de connexion (django-axes) plus vieilles que la durée de conservation.
    "comptes-purger-journaux-de-connexion": {
        "task": "comptes.purger_journaux_de_connexion",
        "schedule": crontab(hour=3, minute=30),
    },
    "relances-resumes": {
        "task": "relances.envoyer_resumes",
        "schedule": crontab(hour=17, minute=0),
    },
}
