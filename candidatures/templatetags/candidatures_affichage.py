from django import template
from django.utils.translation import gettext

from territoires.enums import ResultatEligibilite

register = template.Library()

COULEURS_ETAT = {
    "brouillon": "text-bg-secondary",
    "deposee": "text-bg-primary",
    "a_completer": "text-bg-warning",
    "irrecevable": "text-bg-danger",
    "recevable": "text-bg-info",
    "retenue": "text-bg-success",
    "liste_attente": "text-bg-warning",
    "non_retenue": "text-bg-dark",
    "retiree": "text-bg-light border",
    "ouvert": "text-bg-success",
    "clos": "text-bg-dark",
}

COULEURS_ELIGIBILITE = {
    "eligible": "text-bg-success",
    "non_eligible": "text-bg-danger",
    "a_examiner": "text-bg-warning",
}


@register.filter
def classe_etat(etat):
    return COULEURS_ETAT.get(etat, "text-bg-secondary")


@register.filter
def classe_eligibilite(resultat):
    return COULEURS_ELIGIBILITE.get(resultat, "text-bg-secondary")


@register.filter
def libelle_eligibilite(resultat):
    if resultat in ResultatEligibilite.values:
        return ResultatEligibilite(resultat).label
    return gettext("Non évaluée")
