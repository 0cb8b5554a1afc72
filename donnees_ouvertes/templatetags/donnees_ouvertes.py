"""`{% publication_sur_le_bilan appel %}` : sur la page du bilan, pour les gestionnaires du
programme, la publication des indicateurs en données ouvertes (le bouton pour publier, ou la
publication en cours et ses gestes). Rien pour les autres lecteurs du bilan."""

from django import template
from django.urls import reverse

from donnees_ouvertes import services

register = template.Library()


@register.inclusion_tag("donnees_ouvertes/_publication_sur_le_bilan.html", takes_context=True)
def publication_sur_le_bilan(context, appel):
    requete = context.get("request")
    utilisateur = getattr(requete, "user", None)
    if utilisateur is None or not utilisateur.has_perm("donnees_ouvertes.publier", appel):
        return {"visible": False}
    return {
        "visible": True,
        "appel": appel,
        "publication": services.publication_de(appel),
        "adresse": requete.build_absolute_uri(reverse("donnees_ouvertes:jeu", args=[appel.slug])),
    }
