"""Vérifications de configuration de la boîte d'envoi (`manage.py check`)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def bail_plus_long_que_l_echange_smtp(app_configs, **kwargs):
    """Un bail plus court qu'un échange SMTP ferait reprendre par le rattrapage des envois
    encore en cours chez un worker vivant : des doublons à chaque serveur un peu lent."""
    duree = settings.MESSAGERIE_DUREE_BAIL.total_seconds()
    delai = settings.EMAIL_TIMEOUT
    if delai is None or duree < 2 * delai:
        return [
            Error(
                f"MESSAGERIE_DUREE_BAIL ({duree:g} s) doit valoir au moins deux fois "
                f"EMAIL_TIMEOUT ({delai} s).",
                hint="Allongez MESSAGERIE_DUREE_BAIL_SECONDES ou raccourcissez EMAIL_TIMEOUT.",
                id="messagerie.E001",
            )
        ]
    return []
