"""Ce que partagent les services des appels et des candidatures : le refus d'une transition
que l'état ne permet pas, la phrase du refus d'un motif vide, l'affichage d'une date."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from noyau.erreurs import ActionImpossible
from programmes.models import Appel


def quand(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def refus_d_etat(action):
    """Pour `refus_etat=` de `appliquer_transition` : le refus (409) d'une transition que
    l'état actuel ne permet pas (souvent : déjà faite), qui nomme l'action et l'état."""

    def refus(objet):
        if isinstance(objet, Appel):
            # Translators: action is a verb phrase such as « publier l'appel ».
            message = _(
                "Impossible de %(action)s : l'appel est à l'état « %(etat)s ». L'action a "
                "peut-être déjà été faite."
            )
        else:
            message = _(
                "Impossible de %(action)s : la candidature est à l'état « %(etat)s ». L'action "
                "a peut-être déjà été faite."
            )
        return ActionImpossible(message % {"action": action, "etat": objet.get_etat_display()})

    return refus


def est_obligatoire(libelle):
    """La phrase du refus d'un motif vide, pour `motif_obligatoire`."""
    return _("%(libelle)s est obligatoire.") % {"libelle": libelle}
