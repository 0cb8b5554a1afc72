"""Qui voit et saisit l'activité d'une structure, qui lit le bilan (django-rules).

L'activité : la structure elle-même, sa coach (via le plan d'accompagnement) et les
gestionnaires du programme où elle est lauréate. Le bilan détaillé : les gestionnaires du
programme ; les observateurs partenaires lisent le bilan, masqué sous 5 personnes.
"""

import rules
from django.utils.translation import gettext_lazy

from activite.selectors import ids_structures_coachees
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from candidatures.rules import est_gestionnaire_du_programme, est_membre_de_la_structure
from noyau.perimetre import ids_programmes_geres, ids_structures
from noyau.roles import est_candidat, est_coach, est_gestionnaire, est_observateur
from noyau.transitions import exiger


@rules.predicate
def coache_la_structure(utilisateur, structure):
    return structure is not None and structure.pk in ids_structures_coachees(utilisateur)


@rules.predicate
def gere_le_programme_de_la_structure(utilisateur, structure):
    programmes = ids_programmes_geres(utilisateur)
    if structure is None or not programmes:
        return False
    return structure.candidatures.filter(
        appel__programme_id__in=programmes, etat=EtatCandidature.RETENUE
    ).exists()


@rules.predicate
def structure_laureate(utilisateur, structure):
    return structure is not None and structure.pk in ids_structures_laureates(utilisateur)


@rules.predicate
def a_une_structure_laureate(utilisateur):
    return bool(ids_structures_laureates(utilisateur))


def ids_structures_laureates(utilisateur):
    """Celles de ses structures qui ont été retenues à un appel : l'activité ne commence
    qu'avec l'accompagnement. Lues une fois par requête."""
    if not hasattr(utilisateur, "_ids_structures_laureates"):
        ids = ids_structures(utilisateur)
        utilisateur._ids_structures_laureates = (
            frozenset(
                Candidature.objects.filter(
                    structure_id__in=ids, etat=EtatCandidature.RETENUE
                ).values_list("structure_id", flat=True)
            )
            if ids
            else frozenset()
        )
    return utilisateur._ids_structures_laureates


peut_saisir = (est_membre_de_la_structure & structure_laureate) | coache_la_structure

rules.add_perm(
    "activite.voir_activite",
    peut_saisir | (est_gestionnaire & gere_le_programme_de_la_structure),
)
rules.add_perm("activite.saisir_activite", peut_saisir)
rules.add_perm("activite.voir_bilan", est_gestionnaire_du_programme | est_observateur)
rules.add_perm("activite.voir_bilan_detaille", est_gestionnaire_du_programme)
rules.add_perm("activite.gerer_themes", est_gestionnaire)
rules.add_perm("activite.lister_bilans", est_gestionnaire | est_observateur)
rules.add_perm(
    "activite.lister_activites",
    (est_candidat & a_une_structure_laureate) | est_coach | est_gestionnaire,
)


REFUS_SAISIE = gettext_lazy("Vous ne pouvez pas modifier l'activité de cette structure.")


def exiger_saisie(par, structure):
    """Refuse (`ActionNonPermise`, 403) si `par` ne peut pas saisir l'activité de la structure ;
    rien à vérifier sans `par` (la commande d'import)."""
    if par is not None:
        exiger(par, "activite.saisir_activite", structure, REFUS_SAISIE)
