from celery import shared_task
from django.conf import settings


@shared_task(name="comptes.purger_journaux_de_connexion")
def purger_journaux_de_connexion():
    """Efface les traces de connexion (réussies et refusées : adresse IP, navigateur, adresse
    de courriel tapée) plus vieilles que la durée de conservation. Une seconde exécution ne
    trouve plus rien à effacer. Renvoie le nombre de lignes effacées."""
    from axes.handlers.proxy import AxesProxyHandler

    jours = settings.RELAIS_CONSERVATION_CONNEXIONS_JOURS
    return AxesProxyHandler.reset_logs(age_days=jours) + AxesProxyHandler.reset_failure_logs(
        age_days=jours
    )
