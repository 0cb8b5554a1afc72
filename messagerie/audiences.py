"""Les listes de destinataires d'un envoi groupé, déclarées par les applications qui les tiennent.

Une application déclare (`declarer`) un type d'audience : son code, l'objet dont part la liste
(un appel, une session de formation…) retrouvé par son identifiant, et la fonction qui en tire
l'`Audience` avec les paramètres de la page de liste (les filtres de la requête GET). Ce module,
en bas des couches, ne connaît aucune application : elles s'y inscrivent dans leur module
`audiences.py`, chargé au démarrage (`MessagerieConfig.ready`).

Une audience dit son programme (seuls ses gestionnaires écrivent à cette liste), sa description
en français (« 12 candidatures de l'appel AMI 2027, état : déposée »), ses destinataires (un
compte, ou une adresse sans compte) avec les valeurs de leurs champs, et les champs offerts au
texte (`noyau.gabarits_surs`) avec leur description.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Destinataire:
    email: str
    # Le compte qui reçoit (ses préférences s'appliquent), ou None pour une adresse sans compte.
    utilisateur: object = None
    # {champ: valeur déjà mise en forme (texte ou nombre)}
    valeurs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Audience:
    programme: object
    description: str
    destinataires: list
    # {champ: ce qu'il contient}, dans l'ordre où la page les présente.
    champs: dict
    # La page de la liste, avec ses filtres : on y revient.
    adresse_de_la_liste: str


@dataclass(frozen=True)
class TypeAudience:
    code: str
    libelle: str
    # objet(pk) -> l'objet dont part la liste, ou None s'il n'existe pas.
    objet: Callable
    # audience(objet, parametres) -> Audience ; `parametres` : les filtres GET (QueryDict).
    audience: Callable


_AUDIENCES: dict[str, TypeAudience] = {}


def declarer(type_audience):
    """Inscrit un type d'audience (une fois par code) et le renvoie."""
    if type_audience.code in _AUDIENCES and _AUDIENCES[type_audience.code] != type_audience:
        raise ValueError(f"Audience déjà déclarée : {type_audience.code}")
    _AUDIENCES[type_audience.code] = type_audience
    return type_audience


def type_d_audience(code):
    """Le type d'audience de ce code ; KeyError s'il n'y en a pas."""
    return _AUDIENCES[code]


def sans_doublons(destinataires):
    """Les destinataires, une fois par adresse (la première rencontrée garde ses valeurs)."""
    vus = set()
    uniques = []
    for destinataire in destinataires:
        adresse = destinataire.email.strip().lower()
        if adresse and adresse not in vus:
            vus.add(adresse)
            uniques.append(destinataire)
    return uniques
