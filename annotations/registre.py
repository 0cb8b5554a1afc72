"""Les modèles que l'on peut annoter, déclarés par les applications du dessus.

`annotations` est sous `candidatures` et `accompagnement` : il ne les importe pas. Chacune
déclare son modèle depuis son `AppConfig.ready()` (module `<app>/annotations.py`), avec les
noms de ses règles django-rules : qui lit les notes et les étiquettes d'un objet, qui y écrit
une note, qui y pose une étiquette. Les règles reçoivent l'objet lui-même.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Annotable:
    """`code` : le nom court de l'URL (« candidature », « plan ») ; `lire`, `ecrire`,
    `etiqueter` : des permissions django-rules sur l'objet ; `page(objet)` : l'adresse de la page
    où ses notes s'affichent ; `selection` : le nom des cases à cocher de ses listes, que la
    pose en masse lit ; `libelle(objet)` : son nom pour une personne."""

    code: str
    modele: type
    lire: str
    ecrire: str
    etiqueter: str
    page: Callable[[object], str]
    selection: str
    libelle: Callable[[object], str] = str


_PAR_CODE: dict[str, Annotable] = {}


def declarer(annotable):
    _PAR_CODE[annotable.code] = annotable
    return annotable


def par_code(code):
    """L'entrée déclarée sous ce code, ou None."""
    return _PAR_CODE.get(code)


def pour_modele(modele):
    """L'entrée du modèle (une classe), ou None s'il n'est pas annotable."""
    for annotable in _PAR_CODE.values():
        if annotable.modele is modele:
            return annotable
    return None


def pour(objet):
    """L'entrée de l'objet, ou None."""
    return pour_modele(type(objet)) if objet is not None else None


def pour_type(cible_type: ContentType):
    return pour_modele(cible_type.model_class())
