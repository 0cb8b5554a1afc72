"""Les vues des candidatures, par public : `candidat` (appels publics, candidatures),
`structure` (profil et collègues), `gestion` (back office des gestionnaires)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from candidatures.erreurs import ActionImpossible, ActionNonPermise


def repondre_au_refus(request, erreur, *, gabarit, contexte):
    """Un refus de service devient une page lisible : 403 pour un droit manquant, 409 pour une
    action que l'état ne permet pas, 400 pour une saisie refusée ; jamais une erreur 500."""
    if isinstance(erreur, ActionNonPermise):
        raise PermissionDenied(erreur.message)
    messages.error(request, erreur.message)
    statut = 409 if isinstance(erreur, ActionImpossible) else 400
    return render(request, gabarit, contexte, status=statut)
