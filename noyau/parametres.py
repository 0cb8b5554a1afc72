"""Identifiers read from a request's parameters (GET or POST), which anyone can type."""

from django.http import Http404


def identifiant_ou_404(valeur):
    """The integer identifier given in a parameter, or a 404 when it is missing or not a number:
    `?theme=abc` names nothing, like an identifier that does not exist (a lookup with it would
    raise ValueError, a 500)."""
    if valeur is None or not str(valeur).isdigit():
        raise Http404("Aucun élément ne correspond à cet identifiant.")
    return int(valeur)
