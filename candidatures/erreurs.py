"""Les refus des services, chacun avec un message en français à montrer tel quel.

Les vues les traduisent en réponses : `ActionNonPermise` → 403, `ActionImpossible` → 409,
`DonneesRefusees` → 400 (formulaire réaffiché, saisie conservée).
"""

from django.utils.translation import gettext, ngettext


class ErreurCandidatures(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ActionNonPermise(ErreurCandidatures):
    """L'utilisateur n'a pas le droit de faire cette action sur cet objet."""


class ActionImpossible(ErreurCandidatures):
    """L'action n'est pas possible dans l'état actuel (déjà faite, trop tard, incomplet…)."""


class CandidatureIncomplete(ActionImpossible):
    def __init__(self, manques):
        super().__init__(
            ngettext(
                "Votre candidature n'est pas complète : il manque un élément, listés dans le "
                "panneau « Ce qui manque ». Vos réponses sont enregistrées.",
                "Votre candidature n'est pas complète : il manque %(n)d éléments, listés dans le "
                "panneau « Ce qui manque ». Vos réponses sont enregistrées.",
                len(manques),
            )
            % {"n": len(manques)}
        )
        self.manques = manques


class DateLimiteDepassee(ActionImpossible):
    pass


class AppelNonPubliable(ActionImpossible):
    def __init__(self, manques):
        super().__init__(
            gettext("L'appel ne peut pas être publié : %(manques)s")
            % {"manques": " ".join(manques)}
        )
        self.manques = manques


class DonneesRefusees(ErreurCandidatures):
    """Une saisie refusée (fichier d'un type interdit, trop lourd, motif vide…)."""
