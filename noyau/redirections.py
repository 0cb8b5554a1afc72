"""Les adresses de retour reçues d'une requête (un champ `retour`, un paramètre `next`) : une vue
n'y renvoie, et une page ne les affiche en lien, que si elles mènent à une page de Relais.

Toute adresse de retour venue du navigateur passe par `adresse_de_retour` ; les retours de la
connexion (allauth) et du choix de la langue (Django) sont vérifiés de la même façon par ces
bibliothèques.
"""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def adresse_de_retour(request, adresse, *, repli, **arguments_du_repli):
    """`adresse` si elle reste sur ce site (même hôte ; http ou https, https seulement si la
    requête l'est ; ni « //autre.site », ni « /\\autre.site », ni « javascript: »), sinon
    celle de `repli` : un nom de route et ses arguments, ou un chemin."""
    if adresse and url_has_allowed_host_and_scheme(
        adresse, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return adresse
    return resolve_url(repli, **arguments_du_repli)
