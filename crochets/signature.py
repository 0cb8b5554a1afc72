"""La signature des livraisons, et sa vérification côté récepteur.

En-tête `X-Relais-Signature: t=<horodatage unix>,v1=<hex>` où `v1` est le HMAC-SHA256, avec le
secret du webhook, de `f"{t}.{corps}"` (le corps tel qu'il est reçu, octet pour octet). Le
récepteur recalcule la signature, la compare en temps constant et refuse un horodatage de
plus de 5 minutes (une livraison rejouée plus tard est refusée).
"""

import hashlib
import hmac

TOLERANCE = 300


def _en_octets(valeur):
    return valeur if isinstance(valeur, bytes) else str(valeur).encode()


def signer(secret, corps, horodatage):
    """La valeur de l'en-tête `X-Relais-Signature` pour ce corps envoyé à cet instant."""
    horodatage = int(horodatage)
    message = _en_octets(f"{horodatage}.") + _en_octets(corps)
    empreinte = hmac.new(_en_octets(secret), message, hashlib.sha256).hexdigest()
    return f"t={horodatage},v1={empreinte}"


def verifier(secret, corps, entete, *, maintenant, tolerance=TOLERANCE):
    """Vrai si `entete` signe `corps` avec `secret` et date de moins de `tolerance` secondes
    (à `maintenant`, horodatage unix) ; faux pour un en-tête mal formé."""
    try:
        morceaux = dict(partie.split("=", 1) for partie in (entete or "").split(","))
        horodatage = int(morceaux["t"])
        recue = morceaux["v1"]
    except (KeyError, ValueError):
        return False
    if abs(int(maintenant) - horodatage) > tolerance:
        return False
    attendue = signer(secret, corps, horodatage).split("v1=", 1)[1]
    return hmac.compare_digest(attendue, recue)
