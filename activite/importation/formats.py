"""Ce que les trois étapes de l'import se passent : les feuilles attendues et leurs colonnes,
une feuille lue, une erreur située (fichier, ligne, colonne) et le rapport rendu à l'appelant."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

COLONNES = {
    "beneficiaires": ["code", "genre", "annee_naissance", "commune_insee"],
    "actions": ["ref", "type", "theme", "date_debut", "date_fin", "duree_heures"],
    "participations": ["action_ref", "beneficiaire_code", "statut"],
    "liste_attente": ["date", "nombre"],
}
FEUILLES_OBLIGATOIRES = ["beneficiaires", "actions", "participations"]

CODE_VALIDE = re.compile(r"^[A-Za-z0-9._-]{1,30}$")
DUREE_MAXIMALE = Decimal("999.99")
LIGNES_PAR_LOT = 2000


class ImportIllisible(Exception):
    """Le fichier envoyé n'est ni un CSV ni un XLSX lisible."""


@dataclass(frozen=True)
class ErreurImport:
    fichier: str
    ligne: int | None
    colonne: str
    message: str

    def __str__(self):
        position = self.fichier
        if self.ligne is not None:
            position = _("%(position)s, ligne %(ligne)s") % {
                "position": position,
                "ligne": self.ligne,
            }
        if self.colonne:
            position = _("%(position)s, colonne « %(colonne)s »") % {
                "position": position,
                "colonne": self.colonne,
            }
        return _("%(position)s : %(message)s") % {"position": position, "message": self.message}


@dataclass
class Feuille:
    """Une feuille lue : son fichier d'origine, ses en-têtes et ses lignes (numéro, valeurs)."""

    fichier: str
    entetes: list[str]
    lignes: list[tuple[int, dict]]


@dataclass
class RapportImport:
    erreurs: list[ErreurImport] = field(default_factory=list)
    comptes: dict = field(default_factory=dict)
    remplacer: bool = False
    essai: bool = False
    applique: bool = False

    @property
    def valide(self):
        return not self.erreurs
