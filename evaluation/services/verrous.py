"""Le premier verrou de toute écriture qui dépend de l'étape de l'appel (voir l'ordre des
verrous dans `evaluation.services`)."""

from programmes.models import Appel


def verrouiller_appel(appel_id):
    """La ligne de l'appel seule, sous verrou (le programme, lu avec, n'est pas verrouillé)."""
    return (
        Appel.objects.select_for_update(of=("self",)).select_related("programme").get(pk=appel_id)
    )
