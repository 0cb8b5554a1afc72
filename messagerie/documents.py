"""Les documents qu'un programme peut réécrire : lettres et attestations produites en PDF par
les applications du dessus (la lettre de décision, l'attestation de présence).

Comme les courriels au catalogue, chaque document y est déclaré une seule fois par l'application
qui le produit, avec les champs offerts (`messagerie.catalogue.Champ`), son texte de départ et
l'exemple d'un objet réel du programme pour l'aperçu. Le programme n'écrit que le texte de la
lettre : l'en-tête et le pied (destinataire, voies de recours, signature) restent ceux du code.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from messagerie.catalogue import Champ


@dataclass(frozen=True)
class Document:
    code: str
    libelle: str
    champs: tuple[Champ, ...]
    texte: str
    exemple: Callable[[int], Mapping | None] = field(default=lambda id_programme: None)


_DOCUMENTS: dict[str, Document] = {}


def declarer_document(document):
    """Inscrit un document (une fois par code) et le renvoie."""
    if document.code in _DOCUMENTS and _DOCUMENTS[document.code] != document:
        raise ValueError(f"Document déjà déclaré : {document.code}")
    _DOCUMENTS[document.code] = document
    return document


def document(code):
    """Le document de ce code ; KeyError s'il n'y en a pas."""
    return _DOCUMENTS[code]


def documents():
    """Les documents déclarés, triés par libellé."""
    return sorted(_DOCUMENTS.values(), key=lambda doc: str(doc.libelle))
