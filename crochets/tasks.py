import logging

from celery import shared_task
from django.db import transaction

from crochets import livraisons

logger = logging.getLogger(__name__)


def _programmer(livraison_id, delai):
    try:
        livrer.apply_async(kwargs={"livraison_id": livraison_id}, countdown=delai)
    except Exception:  # noqa: BLE001 - la file peut être injoignable
        # La ligne garde l'heure de sa tentative : le rattrapage la republiera.
        logger.warning(
            "Tentative suivante de la livraison %s non mise en file : le rattrapage le fera.",
            livraison_id,
            exc_info=True,
        )


@shared_task(name="crochets.livrer", acks_late=True)
def livrer(*, livraison_id):
    """Une tentative de la livraison ; la suivante est programmée après le délai prévu.
    Relancée en double, elle n'envoie rien de plus (voir crochets/livraisons.py)."""
    delai = livraisons.tenter(livraison_id)
    if delai is not None:
        _programmer(livraison_id, delai)


@shared_task(name="crochets.rattraper_livraisons")
def rattraper_livraisons():
    """Republie les livraisons en attente dont la tâche s'est perdue ; renvoie leur nombre."""
    with transaction.atomic():
        ids = livraisons.a_republier()
    for livraison_id in ids:
        _programmer(livraison_id, 0)
    return len(ids)
