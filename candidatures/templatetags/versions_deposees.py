"""Les dépôts d'une candidature, avec le récépissé de chacun : un encadré posé par une ligne
dans la page de la candidature (structure) et dans celle du back office (gestionnaires)."""

from django import template

register = template.Library()


@register.inclusion_tag("candidatures/_versions_deposees.html")
def versions_deposees(candidature, pour_la_gestion=False):
    # Préchargées par la vue (avec leur déposant) : relues sans requête.
    if "versions" in getattr(candidature, "_prefetched_objects_cache", {}):
        versions = list(candidature.versions.all())
    else:
        versions = list(candidature.versions.select_related("deposee_par"))
    return {
        "candidature": candidature,
        "versions": versions,
        "pour_la_gestion": pour_la_gestion,
    }
