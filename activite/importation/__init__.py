"""Import des tableurs d'activité qu'une structure tient déjà : un dossier de fichiers CSV, ou un
classeur XLSX dont les feuilles portent les mêmes noms.

Trois étapes : la lecture (`lecture` : fichier → lignes), la vérification (`verification` :
lignes → valeurs ou erreurs) et l'écriture (`ecriture` : valeurs → base). Tout est vérifié
d'abord ; à la moindre erreur rien n'est écrit et le rapport donne, pour chacune, le fichier,
la ligne, la colonne et un message en français. L'écriture se fait en une transaction
(remplacement compris) : une structure n'a jamais une activité à moitié importée.
"""

from activite.importation.ecriture import importer_activite
from activite.importation.formats import (
    CODE_VALIDE,
    COLONNES,
    ErreurImport,
    Feuille,
    ImportIllisible,
    RapportImport,
)
from activite.importation.lecture import lire_chemin, lire_csv, lire_televersements, lire_xlsx

__all__ = [
    "CODE_VALIDE",
    "COLONNES",
    "ErreurImport",
    "Feuille",
    "ImportIllisible",
    "RapportImport",
    "importer_activite",
    "lire_chemin",
    "lire_csv",
    "lire_televersements",
    "lire_xlsx",
]
