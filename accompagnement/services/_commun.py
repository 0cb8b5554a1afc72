"""Ce que partagent les services de l'accompagnement : la date lisible, le plan relu sous
verrou, la règle des suites d'une action déjà permise."""

from django.utils.formats import date_format

from accompagnement.models import PlanAccompagnement

# La règle des transitions qui sont la suite d'une action dont le service vient de vérifier la
# règle (une présence émargée fait l'étape « formation », un cadrage validé active le plan…) :
# celle de l'action suffit, la suite n'en demande pas d'autre.
SUITE_D_UNE_ACTION_PERMISE = "accompagnement.suite_d_une_action_permise"


def le(jour):
    return date_format(jour, "j F Y")


def verrouiller_plan(plan):
    return (
        PlanAccompagnement.objects.select_for_update(of=("self",))
        .select_related("structure", "programme", "coach")
        .get(pk=plan.pk)
    )
