from celery import shared_task

from relances import services


@shared_task(name="relances.balayer", acks_late=True)
def balayer():
    return services.balayer().total


@shared_task(name="relances.envoyer_resumes", acks_late=True)
def envoyer_resumes():
    return services.envoyer_resumes()
