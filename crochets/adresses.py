"""La garde contre les requêtes vers le réseau interne (SSRF) : une adresse de webhook doit
être en https et mener à une adresse publique. Vérifiée à l'enregistrement et avant chaque
envoi (le nom a pu changer de cible entre-temps).

Réglages : CROCHETS_HTTP_PERMIS (http accepté, pour un récepteur local en développement),
CROCHETS_ADRESSES_PRIVEES_PERMISES (adresses privées, de bouclage, locales acceptées).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from noyau.erreurs import DonneesRefusees


class AdresseRefusee(DonneesRefusees):
    """L'adresse d'un webhook que Relais refuse d'appeler."""


def _adresses_ip(hote, port):
    try:
        return {ipaddress.ip_address(hote)}
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(hote, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise AdresseRefusee(
            _("Le nom « %(hote)s » ne mène à aucune adresse : vérifiez l'adresse du webhook.")
            % {"hote": hote}
        ) from None
    return {ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos}


def _publique(adresse):
    # ::ffff:10.0.0.1 est l'adresse IPv4 10.0.0.1 : elle est jugée comme telle.
    if adresse.version == 6 and adresse.ipv4_mapped is not None:
        adresse = adresse.ipv4_mapped
    return adresse.is_global and not adresse.is_multicast


def verifier_adresse(url):
    """Lève `AdresseRefusee` (message en français) si Relais ne doit pas appeler `url`."""
    try:
        morceaux = urlsplit(url or "")
        port = morceaux.port
    except ValueError:
        raise AdresseRefusee(_("Cette adresse n'est pas valide.")) from None
    schemas = ("https", "http") if settings.CROCHETS_HTTP_PERMIS else ("https",)
    if morceaux.scheme not in schemas:
        raise AdresseRefusee(_("L'adresse d'un webhook doit commencer par https://."))
    if morceaux.username or morceaux.password:
        raise AdresseRefusee(
            _("L'adresse d'un webhook ne contient ni identifiant ni mot de passe.")
        )
    hote = morceaux.hostname
    if not hote:
        raise AdresseRefusee(_("Cette adresse n'est pas valide."))
    if settings.CROCHETS_ADRESSES_PRIVEES_PERMISES:
        return
    port = port or (443 if morceaux.scheme == "https" else 80)
    for adresse in _adresses_ip(hote, port):
        if not _publique(adresse):
            raise AdresseRefusee(
                _(
                    "L'adresse « %(hote)s » mène à un réseau privé ou local : Relais n'envoie "
                    "de webhook qu'à une adresse publique."
                )
                % {"hote": hote}
            )
