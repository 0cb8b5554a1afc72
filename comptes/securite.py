"""Réglages de django-axes propres à Relais : qui tente de se connecter, et d'où."""

from django.conf import settings


def identifiant_de_connexion(request, credentials=None):
    """L'adresse saisie, quel que soit le formulaire : allauth authentifie avec `email`, son
    formulaire poste `login`, l'administration de Django poste `username`."""
    credentials = credentials or {}
    donnees = getattr(request, "POST", {}) if request is not None else {}
    for champ in ("email", "login", "username"):
        valeur = credentials.get(champ) or donnees.get(champ)
        if valeur:
            return str(valeur).strip().lower()
    return None


def adresse_du_client(request):
    """REMOTE_ADDR, sauf derrière notre proxy (RELAIS_DERRIERE_UN_PROXY) : alors la dernière
    adresse de X-Forwarded-For, celle que le proxy a ajoutée ; les précédentes viennent du
    client et se falsifient."""
    if settings.RELAIS_DERRIERE_UN_PROXY:
        transmises = request.META.get("HTTP_X_FORWARDED_FOR", "")
        derniere = transmises.split(",")[-1].strip()
        if derniere:
            return derniere
    return request.META.get("REMOTE_ADDR")
