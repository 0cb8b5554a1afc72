"""Les objets qui ont un fil de discussion, déclarés par les applications du dessus.

`echanges` est sous les candidatures et l'accompagnement : il ne les importe pas. Chacune
déclare ici son modèle (`declarer`, depuis son `AppConfig.ready()`) : qui est du côté de la
structure, qui est du côté de l'équipe, les règles (django-rules) pour lire et écrire, les
objets qu'une personne peut voir (les autres sont introuvables, 404) et la page de l'objet
pour chaque côté. Le jury, plus haut encore, ajoute sa lecture d'un fil partagé
(`declarer_lecture_partagee`)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TypeDeFil:
    # Le mot de l'objet dans les adresses (« candidature », « plan »).
    cle: str
    modele: type
    # Les comptes de chaque côté : la structure (ses membres actifs), l'équipe (les
    # gestionnaires du programme, le coach d'un plan).
    cote_structure: Callable[[object], list]
    cote_equipe: Callable[[object], list]
    regle_lire: str
    regle_ecrire: str
    # Les objets qu'une personne peut voir : tout autre est introuvable pour elle.
    visibles_par: Callable[[object], object]
    # La page de l'objet vue par chaque côté (« structure », « equipe »), en chemin relatif.
    page: Callable[[object, str], str]
    # Ce que l'objet s'appelle dans un courriel, sans mot à traduire (« CCAS A — AMI 2027 »).
    intitule: Callable[[object], str]
    # La règle qui permet de partager le fil avec le jury (None : pas de jury pour ce type).
    regle_partager: str | None = None


@dataclass(frozen=True)
class LecturePartagee:
    """Qui lit un fil partagé (le jury) : la règle sur l'objet, et celle des pièces."""

    regle_lire: str
    regle_telecharger: str


_TYPES: dict[str, TypeDeFil] = {}
_LECTURES_PARTAGEES: dict[type, LecturePartagee] = {}


def declarer(type_de_fil):
    existant = _TYPES.get(type_de_fil.cle)
    if existant is not None and existant != type_de_fil:
        raise ValueError(f"Fil déjà déclaré : {type_de_fil.cle}")
    _TYPES[type_de_fil.cle] = type_de_fil
    return type_de_fil


def declarer_lecture_partagee(modele, *, regle_lire, regle_telecharger):
    _LECTURES_PARTAGEES[modele] = LecturePartagee(regle_lire, regle_telecharger)


def par_cle(cle):
    """Le type de fil de ce mot ; KeyError s'il n'y en a pas."""
    return _TYPES[cle]


def du_modele(modele):
    """Le type de fil de ce modèle ; KeyError s'il n'en a pas."""
    for type_de_fil in _TYPES.values():
        if type_de_fil.modele is modele:
            return type_de_fil
    raise KeyError(modele)


def types_de_fil():
    return list(_TYPES.values())


def lecture_partagee(modele):
    return _LECTURES_PARTAGEES.get(modele)
