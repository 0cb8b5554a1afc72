"""Le périmètre d'une requête de l'API : ce que le jeton laisse lire à son titulaire.

Un jeton vise un programme ; ses lectures sont l'intersection de ce programme et des droits de
son titulaire le jour de la requête (un gestionnaire retiré du programme ne lit plus rien, même
avec un jeton encore valide).
"""

from api.models import JetonAPI
from noyau.perimetre import ids_programmes_geres, ids_structures
from noyau.roles import est_candidat, est_observateur


def jeton_de(request):
    jeton = getattr(request, "auth", None)
    return jeton if isinstance(jeton, JetonAPI) else None


def programme_du_jeton(request):
    jeton = jeton_de(request)
    return jeton.programme_id if jeton else None


def programmes_geres(request):
    """Les programmes que la requête lit en gestionnaire : au plus celui du jeton."""
    jeton = jeton_de(request)
    if jeton is None:
        return frozenset()
    return ids_programmes_geres(request.user) & {jeton.programme_id}


def programmes_observes(request):
    """Les programmes dont la requête lit les bilans masqués (observateur partenaire)."""
    jeton = jeton_de(request)
    if jeton is None or not est_observateur(request.user):
        return frozenset()
    return frozenset({jeton.programme_id})


def structures_candidates(request):
    """Les structures dont la requête lit les candidatures (dans le programme du jeton)."""
    jeton = jeton_de(request)
    if jeton is None or not est_candidat(request.user):
        return frozenset()
    return ids_structures(request.user)
