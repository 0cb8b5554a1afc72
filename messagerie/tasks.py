import logging

from celery import shared_task

from messagerie import envois, services

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="messagerie.envoyer_message", acks_late=True, max_retries=None)
def envoyer_message(self, *, message_id):
    try:
        services.envoyer(message_id)
    except services.EnvoiEchoue as erreur:
        if erreur.nouvel_essai_dans is None:
            return  # reste en échec, visible dans « Messages envoyés » pour un renvoi manuel
        raise self.retry(exc=erreur, countdown=erreur.nouvel_essai_dans) from None


@shared_task(name="messagerie.envoyer_lot", acks_late=True)
def envoyer_lot(*, message_ids):
    """Un lot de messages d'un balayage : chaque échec repart seul, avec ses nouvelles
    tentatives, sans retarder les autres."""
    for message_id in message_ids:
        try:
            services.envoyer(message_id)
        except services.EnvoiEchoue as erreur:
            if erreur.nouvel_essai_dans is None:
                continue
            try:
                envoyer_message.apply_async(
                    kwargs={"message_id": message_id}, countdown=erreur.nouvel_essai_dans
                )
            except Exception:  # noqa: BLE001 - la file peut être injoignable
                # The row keeps its next try's date: the catch-up publishes it then.
                logger.warning(
                    "Nouvel essai du message %s non mis en file : le rattrapage le fera.",
                    message_id,
                    exc_info=True,
                )


@shared_task(name="messagerie.rattraper_envois")
def rattraper_envois():
    return services.rattraper_envois()


@shared_task(name="messagerie.preparer_envoi_groupe", acks_late=True)
def preparer_envoi_groupe(*, envoi_id):
    """Un message par destinataire d'un envoi groupé ; relancée, elle ne crée rien deux fois."""
    envois.preparer_les_messages(envoi_id)
