from celery import shared_task
from django.conf import settings

from messagerie import services


@shared_task(bind=True, name="messagerie.envoyer_message", acks_late=True, max_retries=None)
def envoyer_message(self, *, message_id):
    try:
        services.envoyer(message_id)
    except services.EnvoiEchoue as erreur:
        if self.request.retries + 1 >= settings.MESSAGERIE_MAX_TENTATIVES:
            return  # reste en échec, visible dans « Messages envoyés » pour un renvoi manuel
        raise self.retry(exc=erreur, countdown=min(30 * 2**self.request.retries, 3600)) from None


@shared_task(name="messagerie.envoyer_lot", acks_late=True)
def envoyer_lot(*, message_ids):
    """Un lot de messages d'un balayage : chaque échec repart seul, avec ses nouvelles
    tentatives, sans retarder les autres."""
    for message_id in message_ids:
        try:
            services.envoyer(message_id)
        except services.EnvoiEchoue:
            envoyer_message.apply_async(kwargs={"message_id": message_id}, countdown=30)


@shared_task(name="messagerie.rattraper_envois")
def rattraper_envois():
    return services.rattraper_envois()
