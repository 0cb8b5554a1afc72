"""Une application d'authentification pour les tests : le secret enregistré comme le fait
allauth à l'activation, et le code qu'afficherait le téléphone."""

import time

from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

PERIODE = 30


def activer_totp(utilisateur):
    """Enregistre une application TOTP pour `utilisateur` et renvoie son secret."""
    secret = generate_totp_secret()
    TOTP.activate(utilisateur, secret)
    return secret


def code_totp(secret):
    """Le code de la période en cours ; attend la suivante si celle-ci s'achève dans moins de
    trois secondes, pour que le code soit encore valable quand le serveur le vérifie."""
    if PERIODE - time.time() % PERIODE < 3:
        time.sleep(PERIODE - time.time() % PERIODE + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // PERIODE))
