"""Qui gère les webhooks d'un programme (django-rules) : ses gestionnaires seulement."""

import rules

from noyau.perimetre import gere
from noyau.roles import est_gestionnaire


@rules.predicate
def gere_l_objet(utilisateur, objet):
    """L'objet (programme, webhook, livraison) relève d'un programme que cette personne gère."""
    return objet is not None and gere(utilisateur, objet)


# Les pages : un gestionnaire (les objets d'un autre programme sont introuvables, 404).
rules.add_perm("crochets.acceder", est_gestionnaire)
rules.add_perm("crochets.gerer_webhooks", est_gestionnaire & gere_l_objet)
