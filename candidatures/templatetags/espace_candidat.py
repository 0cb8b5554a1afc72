"""« Mon espace » d'une structure candidate : son profil, ses candidatures, les appels ouverts.

Une balise d'inclusion plutôt qu'une vue : la page `tableau_de_bord` appartient au projet et
chaque application y pose son encadré."""

from django import template

from candidatures import selectors

register = template.Library()


@register.inclusion_tag("candidatures/candidat/_espace.html", takes_context=True)
def espace_candidat(context):
    utilisateur = context["request"].user
    structures = list(selectors.structures_de(utilisateur))
    peut_creer_structure = utilisateur.has_perm("candidatures.creer_structure")
    if not structures and not peut_creer_structure:
        return {"afficher": False}
    candidatures = (
        selectors.candidatures_visibles_par(utilisateur)
        .filter(structure__in=structures)
        .select_related("appel", "structure")
        .order_by("-creee_le")
        # Ce que l'encadré montre : ni les réponses ni l'éligibilité figée (des JSON entiers).
        .only("appel_id", "structure_id", "etat", "appel__titre", "structure__nom")
    )
    deja = {(c.appel_id, c.structure_id) for c in candidatures}
    appels_ouverts = [
        appel
        for appel in selectors.appels_publics()
        .select_related(None)
        .only("slug", "titre", "date_limite")
        if not structures or any((appel.pk, s.pk) not in deja for s in structures)
    ]
    return {
        "afficher": True,
        "structures": structures,
        "candidatures": candidatures,
        "appels_ouverts": appels_ouverts,
        "peut_creer_structure": peut_creer_structure,
    }
