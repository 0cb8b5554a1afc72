"""D'un refus de service à une réponse lisible, en un seul endroit pour toutes les vues."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from noyau.erreurs import ActionImpossible, ActionNonPermise, Refus


def statut_du_refus(erreur):
    """403 pour un droit manquant, 409 pour une action que l'état ne permet pas, 400 sinon."""
    if isinstance(erreur, ActionNonPermise):
        return 403
    return 409 if isinstance(erreur, ActionImpossible) else 400


def repondre_au_refus(request, erreur, *, gabarit, contexte):
    """Un refus de service devient une page lisible, jamais une erreur 500 : un droit manquant
    lève `PermissionDenied` (page 403), les autres réaffichent `gabarit` avec le message en
    tête et le statut de `statut_du_refus`. `contexte` peut être une fonction sans argument,
    appelée seulement si la page est réaffichée (après le refus, donc sur des données relues)."""
    if isinstance(erreur, ActionNonPermise):
        raise PermissionDenied(erreur.message)
    messages.error(request, erreur.message)
    if callable(contexte):
        contexte = contexte()
    return render(request, gabarit, contexte, status=statut_du_refus(erreur))


def executer(request, action, *, gabarit, contexte, succes=None):
    """POST → service → refus : appelle `action()` ; un `Refus` devient la réponse de
    `repondre_au_refus`. Renvoie `(resultat, None)` si l'action a réussi (avec le message
    `succes` s'il est donné), `(None, reponse)` sinon."""
    try:
        resultat = action()
    except Refus as erreur:
        return None, repondre_au_refus(request, erreur, gabarit=gabarit, contexte=contexte)
    if succes:
        messages.success(request, succes)
    return resultat, None
