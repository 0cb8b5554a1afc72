"""Les textes qu'un gestionnaire écrit avec des champs à remplacer : modèles de courriels et de
documents d'un programme, envois groupés.

Un tel texte vient d'une personne, pas du code : il ne doit rien atteindre d'autre que les
champs qu'on lui offre. Il est lu par le bac à sable de Jinja2 (`ImmutableSandboxedEnvironment`)
et, avant tout rendu, son arbre est relu contre une liste blanche : des champs `{{ nom }}`, des
conditions `{% if nom %}…{% else %}…{% endif %}`, des comparaisons et quelques filtres de casse.
Pas d'attribut (`{{ x.y }}`), d'indice, d'appel, de boucle, d'affectation, d'inclusion ni
d'import : rien qui mène aux réglages, aux méthodes d'un objet ou aux fichiers. Les valeurs
offertes sont des textes ou des nombres déjà mis en forme par l'appelant.

Le rendu est du texte brut : une page ou un courriel HTML l'échappe à l'affichage.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _
from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from noyau.erreurs import DonneesRefusees

FILTRES_PERMIS = ("upper", "lower", "capitalize", "title", "trim", "default")

_NOEUDS_PERMIS = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Test,
    nodes.Filter,
)

_VALEURS_PERMISES = (str, int, float, Decimal, type(None))


class _BacASable(ImmutableSandboxedEnvironment):
    """Aucun attribut, aucun appel : la liste blanche de l'arbre les refuse déjà, le bac à
    sable les refuse encore s'il en passait un."""

    def is_safe_attribute(self, obj, attr, value):
        return False

    def is_safe_callable(self, obj):
        return False


def _environnement():
    env = _BacASable(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    env.globals.clear()
    env.filters = {nom: env.filters[nom] for nom in FILTRES_PERMIS}
    return env


_ENV = _environnement()


def _lire(texte):
    try:
        return _ENV.parse(texte)
    except TemplateError as erreur:
        ligne = getattr(erreur, "lineno", None)
        if ligne:
            raise DonneesRefusees(
                _(
                    "Le modèle ne peut pas être lu (ligne %(ligne)s) : vérifiez les {{ }} et "
                    "les {%% %%}."
                )
                % {"ligne": ligne}
            ) from erreur
        raise DonneesRefusees(
            _("Le modèle ne peut pas être lu : vérifiez les {{ }} et les {% %}.")
        ) from erreur


def _refuser_le_noeud(noeud):
    if isinstance(noeud, nodes.Getattr | nodes.Getitem):
        return _("Le modèle ne peut lire que les champs proposés, sans « . » ni « [ ] ».")
    if isinstance(noeud, nodes.Call):
        return _("Le modèle ne peut pas appeler de fonction.")
    if isinstance(noeud, nodes.Include | nodes.Extends | nodes.Import | nodes.FromImport):
        return _("Le modèle ne peut pas inclure un autre fichier.")
    if isinstance(noeud, nodes.For):
        return _("Le modèle ne peut pas contenir de boucle.")
    return _(
        "Le modèle contient une instruction non permise : seuls les champs {{ nom }} et les "
        "conditions {% if %} sont acceptés."
    )


def _verifier_l_arbre(arbre, champs):
    champs = set(champs)
    for noeud in arbre.find_all(nodes.Node):
        if not isinstance(noeud, _NOEUDS_PERMIS):
            raise DonneesRefusees(_refuser_le_noeud(noeud))
        if isinstance(noeud, nodes.Filter) and noeud.name not in FILTRES_PERMIS:
            raise DonneesRefusees(
                _("Le filtre « %(filtre)s » n'est pas permis ; filtres possibles : %(permis)s.")
                % {"filtre": noeud.name, "permis": ", ".join(FILTRES_PERMIS)}
            )
        if isinstance(noeud, nodes.Name) and noeud.name not in champs:
            raise DonneesRefusees(
                _("Le champ {{ %(champ)s }} n'existe pas ; champs possibles : %(possibles)s.")
                % {
                    "champ": noeud.name,
                    "possibles": ", ".join(sorted(champs)) or _("aucun"),
                }
            )


def verifier(texte: str, champs: Iterable[str]) -> None:
    """Refuse (`DonneesRefusees`, message en français) un texte illisible, qui sort de la liste
    blanche ou qui nomme un champ absent de `champs`."""
    _verifier_l_arbre(_lire(texte), champs)


def rendre(texte: str, valeurs: Mapping[str, object]) -> str:
    """Le texte rendu avec ces valeurs (textes ou nombres déjà mis en forme).

    Vérifie d'abord le texte contre les noms de `valeurs` : un modèle enregistré avant qu'un
    champ ne disparaisse est refusé ici plutôt que rendu à moitié."""
    for nom, valeur in valeurs.items():
        if not isinstance(valeur, _VALEURS_PERMISES):
            raise TypeError(f"Le champ {nom} doit être un texte ou un nombre, pas {type(valeur)}.")
    arbre = _lire(texte)
    _verifier_l_arbre(arbre, valeurs)
    try:
        return _ENV.from_string(arbre).render(**valeurs)
    except TemplateError as erreur:
        raise DonneesRefusees(
            _("Le modèle ne peut pas être rendu : %(erreur)s") % {"erreur": erreur}
        ) from erreur
