"""Des phrases rédigées au moment où on les lit, pas au moment où on les calcule.

Une réponse d'éligibilité ou un avertissement d'import s'affiche dans la langue de la page qui
le montre, mais s'enregistre en français (la réponse qu'une candidature fige, le bilan d'un
import) : ses textes restent différés jusqu'à leur lecture, et `en_francais` les fixe en
français pour l'enregistrement.

    phrase(gettext_lazy("QPV %(quartiers)s (%(generation)s)"), {"quartiers": …, …})
"""

from django.utils import translation
from django.utils.functional import lazy


def _rediger(modele, valeurs):
    return str(modele) % valeurs


def _joindre(separateur, morceaux):
    return str(separateur).join(str(morceau) for morceau in morceaux)


# Le modèle (marqué avec gettext_lazy ou ngettext_lazy) et ses valeurs, rédigés à la lecture.
phrase = lazy(_rediger, str)
# Les morceaux (phrases différées ou textes) séparés par `separateur`, rédigés à la lecture.
liste = lazy(_joindre, str)


def en_francais(textes):
    """Les textes, différés ou non, fixés en français : ce qu'on enregistre."""
    with translation.override("fr"):
        return [str(texte) for texte in textes]
