"""Les dépôts d'une candidature, avec le récépissé de chacun : un encadré posé par une ligne
dans la page de la candidature (structure) et dans celle du back office (gestionnaires)."""

from django import template

register = template.Library()


@register.inclusion_tag("candidatures/_versions_deposees.html")
def versions_deposees(candidature, pour_la_gestion=False):
    return {
        "candidature": candidature,
        "versions": list(candidature.versions.select_related("deposee_par")),
        "pour_la_gestion": pour_la_gestion,
    }
