"""Inviter une personne dans une structure existante, depuis la page des invitations du
gestionnaire : les structures où il peut rattacher quelqu'un. (L'invitation elle-même et son
acceptation, qui crée l'appartenance, sont dans candidatures.services.)"""

from comptes.services import programmes_ou_inviter
from structures.models import Structure


def structures_ou_inviter(utilisateur):
    """Les structures où cette personne peut rattacher quelqu'un : celles qui ont candidaté à
    un appel d'un programme qu'elle gère."""
    return (
        Structure.objects.filter(
            candidatures__appel__programme__in=programmes_ou_inviter(utilisateur)
        )
        .distinct()
        .order_by("nom")
    )
