"""Lectures de l'activité utilisées à plusieurs endroits : la cohorte d'un appel, les
structures dont une personne voit l'activité."""

from django.db.models import Q

from accompagnement.models import PlanAccompagnement
from candidatures.enums import EtatCandidature
from noyau.perimetre import ids_programmes_geres, ids_structures
from structures.models import Structure


def structures_de_la_cohorte(appel):
    """Les structures lauréates de l'appel (candidature retenue)."""
    return Structure.objects.filter(
        candidatures__appel=appel, candidatures__etat=EtatCandidature.RETENUE
    )


def ids_structures_coachees(utilisateur):
    """Les structures dont cette personne est la coach du plan, lues une fois par requête."""
    if not utilisateur.is_authenticated or not utilisateur.is_active:
        return frozenset()
    if not hasattr(utilisateur, "_ids_structures_coachees"):
        utilisateur._ids_structures_coachees = frozenset(
            PlanAccompagnement.objects.filter(coach=utilisateur).values_list(
                "structure_id", flat=True
            )
        )
    return utilisateur._ids_structures_coachees


def structures_suivies_par(utilisateur):
    """Les structures dont cette personne voit l'activité : les siennes, celles qu'elle
    coache, et pour un gestionnaire celles qui ont candidaté aux appels de ses programmes
    et y ont été retenues."""
    filtre = Q(pk__in=ids_structures(utilisateur)) | Q(pk__in=ids_structures_coachees(utilisateur))
    programmes = ids_programmes_geres(utilisateur)
    if programmes:
        filtre |= Q(
            candidatures__appel__programme_id__in=programmes,
            candidatures__etat=EtatCandidature.RETENUE,
        )
    return Structure.objects.filter(filtre).distinct()
