"""Les refus propres aux appels et aux candidatures, dans les familles de `noyau.erreurs`."""

from django.utils.translation import gettext, ngettext

from noyau.erreurs import ActionImpossible


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
