"""Le registre des types de relance : chaque application y déclare les siens.

Un type dit quels objets peuvent être dus (un sélecteur), la date dont partent ses décalages,
qui reçoit la relance, ses gabarits et ses décalages par défaut, en jours : -7 = sept jours
avant la date, 0 = le jour même, 7 = une semaine après ; `repetition_jours` relance ensuite
tous les N jours tant que l'objet reste dû (retard).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class TypeRelance:
    code: str
    libelle: str
    gabarit: str
    objets: Callable  # (maintenant) -> QuerySet des objets qui peuvent être dus
    date_reference: Callable[[object], date | None]
    destinataires: Callable[[object], Iterable]
    decalages: tuple[int, ...]
    repetition_jours: int | None = None
    essentielle: bool = False
    raison_essentielle: str = ""
    contexte: Callable[[object], dict] = field(default=lambda objet: {})
    # Objets qui portent un réglage des décalages (l'appel, puis son programme), du plus précis
    # au plus général.
    portees: Callable[[object], list] = field(default=lambda objet: [])
    # Les modèles (« app.modele ») sur lesquels un gestionnaire peut régler ces décalages.
    portees_modeles: tuple[str, ...] = ()


_TYPES: dict[str, TypeRelance] = {}


def enregistrer(type_relance):
    if type_relance.code in _TYPES and _TYPES[type_relance.code] != type_relance:
        raise ValueError(f"Type de relance déjà enregistré : {type_relance.code}")
    _TYPES[type_relance.code] = type_relance
    return type_relance


def types_de_relance(*, reglables_sur=None):
    """Tous les types, ou ceux qu'un gestionnaire peut régler sur ce modèle (« app.modele »)."""
    types = list(_TYPES.values())
    if reglables_sur:
        types = [t for t in types if reglables_sur in t.portees_modeles]
    return types


def type_de_relance(code):
    return _TYPES[code]


def decalage_du(date_reference, aujourd_hui, decalages, repetition_jours=None):
    """Le décalage dû aujourd'hui (le plus récent atteint), ou None si aucun ne l'est.

    Un décalage plus ancien déjà dépassé est remplacé par le plus récent : après une panne
    d'une semaine, on n'envoie pas J-7 et J-1 le même jour, seulement J-1.
    """
    if date_reference is None or not decalages:
        return None
    ecart = (aujourd_hui - date_reference).days
    atteints = [decalage for decalage in decalages if decalage <= ecart]
    if not atteints:
        return None
    dernier = max(decalages)
    if repetition_jours and ecart > dernier:
        return dernier + ((ecart - dernier) // repetition_jours) * repetition_jours
    return max(atteints)
