"""Ce que partagent les services de l'accompagnement : la date lisible, le plan relu sous
verrou."""

from django.utils.formats import date_format

from accompagnement.models import PlanAccompagnement


def le(jour):
    return date_format(jour, "j F Y")


def verrouiller_plan(plan):
    return (
        PlanAccompagnement.objects.select_for_update(of=("self",))
        .select_related("structure", "programme", "coach")
        .get(pk=plan.pk)
    )
