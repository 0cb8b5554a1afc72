"""Les genres d'export que le worker sait préparer, inscrits par les applications du dessus
(dans leur `AppConfig.ready`) : cette application, sous elles, ne les importe jamais.

Un genre dit :
- `produire(telechargement, sortie, progression)` : écrit le fichier dans `sortie` (un fichier
  binaire ouvert), appelle `progression(lignes_faites)` à chaque paquet et renvoie le nombre de
  lignes écrites ; appelé par le worker dans la langue de la demande ;
- `autorise(utilisateur, telechargement)` : la personne a-t-elle encore le droit de lire ce
  fichier (elle gère toujours le programme, voit toujours ce public du bilan…) ;
- `nom_de_fichier(telechargement)` et `retour(telechargement)` : l'adresse de la page d'où
  l'export a été demandé.
"""

from collections.abc import Callable
from dataclasses import dataclass

TYPES_MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class GenreDExport:
    code: str
    libelle: str
    produire: Callable
    autorise: Callable
    nom_de_fichier: Callable
    retour: Callable


_GENRES: dict[str, GenreDExport] = {}


def inscrire(genre):
    if genre.code in _GENRES and _GENRES[genre.code] != genre:
        raise ValueError(f"Genre d'export déjà inscrit : {genre.code}")
    _GENRES[genre.code] = genre
    return genre


def genre(code):
    """Le genre de ce code ; KeyError s'il n'est pas inscrit."""
    return _GENRES[code]
