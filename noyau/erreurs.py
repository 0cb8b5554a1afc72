"""Les refus des services, chacun avec un message en français à montrer tel quel.

Les vues les traduisent en réponses par `noyau.refus.repondre_au_refus` : `ActionNonPermise` →
403, `ActionImpossible` → 409, `DonneesRefusees` → 400 (formulaire réaffiché, saisie conservée).
"""


class Refus(Exception):
    """Un refus d'un service métier, avec sa phrase pour la personne."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ActionNonPermise(Refus):
    """L'utilisateur n'a pas le droit de faire cette action sur cet objet."""


class ActionImpossible(Refus):
    """L'action n'est pas possible dans l'état actuel (déjà faite, trop tard, incomplet…)."""


class DonneesRefusees(Refus):
    """Une saisie refusée (fichier d'un type interdit, trop lourd, motif vide…)."""
