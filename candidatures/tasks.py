from celery import shared_task

from candidatures import services


@shared_task(name="candidatures.clore_appels_echus")
def clore_appels_echus():
    """Toutes les minutes : clôt les appels ouverts dont la date limite est passée."""
    return services.clore_appels_echus()
