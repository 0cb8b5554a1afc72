"""The Celery application and its one beat schedule. A request queues a task through
`noyau.taches.publier_au_commit`."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aap.settings")

app = Celery("aap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
    # Les courriels datés du catalogue (relances, rappels J-7 et J-1 aux référents convoqués) :
    # un balayage toutes les 15 minutes, exactement une fois grâce aux clés uniques.
    "relances-balayer": {"task": "relances.balayer", "schedule": crontab(minute="*/15")},
    # Traces de connexion (django-axes) plus vieilles que la durée de conservation.
    "comptes-purger-journaux-de-connexion": {
        "task": "comptes.purger_journaux_de_connexion",
        "schedule": crontab(hour=3, minute=30),
    },
    "relances-resumes": {
        "task": "relances.envoyer_resumes",
        "schedule": crontab(hour=17, minute=0),
    },
    # Les livraisons de webhooks dont la tâche s'est perdue (file injoignable, worker arrêté)
    # repartent ; sans effet quand il n'y en a pas (un index partiel des livraisons en attente).
    "crochets-rattraper-livraisons": {
        "task": "crochets.rattraper_livraisons",
        "schedule": crontab(minute="*/5"),
    },
    # Les exports dont la tâche s'est perdue (file injoignable, worker tué) repartent ; sans
    # effet quand il n'y en a pas (un index partiel des exports à préparer).
    "telechargements-rattraper-exports": {
        "task": "telechargements.rattraper_exports",
        "schedule": crontab(minute="*/5"),
    },
    # Les exports expirés (RELAIS_EXPORT_DUREE_CONSERVATION) et leurs fichiers sont effacés.
    "telechargements-purger-exports": {
        "task": "telechargements.purger_exports",
        "schedule": crontab(minute=15),
    },
}
