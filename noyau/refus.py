"""D'un refus de service à une réponse lisible, en un seul endroit pour toutes les vues."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees, Refus


def statut_du_refus(erreur):
    """403 pour un droit manquant, 409 pour une action que l'état ne permet pas, 400 sinon."""
    if isinstance(erreur, ActionNonPermise):
        return 403
    return 409 if isinstance(erreur, ActionImpossible) else 400


def repondre_au_refus(request, erreur, *, gabarit, contexte, formulaire=None, champ=None):
    """Un refus de service devient une page lisible, jamais une erreur 500 : un droit manquant
    lève `PermissionDenied` (page 403), les autres réaffichent `gabarit` avec le message et le
    statut de `statut_du_refus`. Une saisie refusée sur un `formulaire` s'y lit comme ses autres
    erreurs, à côté de `champ` (ou en tête du formulaire), dans son résumé ; sinon le message
    va en tête de page. `contexte` peut être une fonction sans argument, appelée seulement si
    la page est réaffichée (après le refus, donc sur des données relues)."""
    if isinstance(erreur, ActionNonPermise):
        raise PermissionDenied(erreur.message)
    if formulaire is not None and isinstance(erreur, DonneesRefusees):
        formulaire.add_error(champ, erreur.message)
    else:
        messages.error(request, erreur.message)
    if callable(contexte):
        contexte = contexte()
    return render(request, gabarit, contexte, status=statut_du_refus(erreur))


def executer(request, action, *, gabarit, contexte, succes=None, formulaire=None, champ=None):
    """POST → service → refus : appelle `action()` ; un `Refus` devient la réponse de
    `repondre_au_refus` (avec `formulaire` et `champ`). Renvoie `(resultat, None)` si l'action
    a réussi (avec le message `succes` s'il est donné), `(None, reponse)` sinon."""
    try:
        resultat = action()
    except Refus as erreur:
        reponse = repondre_au_refus(
            request, erreur, gabarit=gabarit, contexte=contexte, formulaire=formulaire, champ=champ
        )
        return None, reponse
    if succes:
        messages.success(request, succes)
    return resultat, None
