"""Lecture : d'un fichier (CSV, classeur XLSX, dossier de CSV) à des feuilles de lignes de
texte, sans rien vérifier de leur contenu."""

import csv
import datetime
import io
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from activite.importation.formats import COLONNES, Feuille, ImportIllisible
from noyau.archives_zip import ArchiveIllisible, ArchiveRefusee, verifier_archive_zip


def _entete(valeur):
    return str(valeur or "").strip().lstrip("\ufeff").strip().lower()


def _texte(valeur):
    """La valeur d'une cellule en texte ; un tableur rend « 12 » en 12.0, on le remet en 12."""
    if valeur is None:
        return ""
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    if isinstance(valeur, datetime.datetime):
        return valeur.date().isoformat()
    if isinstance(valeur, datetime.date):
        return valeur.isoformat()
    return str(valeur).strip()


def lire_csv(contenu, fichier):
    """Une feuille depuis les octets d'un CSV (UTF-8 ou Windows-1252, virgule ou point-virgule)."""
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        texte = contenu.decode("cp1252", errors="replace")
    premiere_ligne = texte.split("\n", 1)[0]
    separateur = ";" if premiere_ligne.count(";") > premiere_ligne.count(",") else ","
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    try:
        rangees = list(lecteur)
    except csv.Error as erreur:
        raise ImportIllisible(
            _("%(fichier)s : CSV illisible (%(erreur)s).") % {"fichier": fichier, "erreur": erreur}
        ) from erreur
    if not rangees:
        return Feuille(fichier, [], [])
    entetes = [_entete(valeur) for valeur in rangees[0]]
    lignes = []
    for numero, rangee in enumerate(rangees[1:], start=2):
        if not any(cellule.strip() for cellule in rangee):
            continue
        lignes.append((numero, {nom: _texte(v) for nom, v in zip(entetes, rangee, strict=False)}))
    return Feuille(fichier, entetes, lignes)


def _xlsx_illisible(fichier):
    return ImportIllisible(
        _("%(fichier)s : ce fichier n'est pas un classeur XLSX lisible.") % {"fichier": fichier}
    )


def _verifier_archive_xlsx(flux, fichier):
    """Un XLSX est une archive zip : avant qu'openpyxl n'en décompresse quoi que ce soit, elle
    passe par les mêmes bornes que toute archive déposée (taille décompressée, déclarée et
    réelle, nombre de fichiers internes, taux de compression)."""
    try:
        verifier_archive_zip(flux, nom=fichier)
    except ArchiveRefusee as refus:
        raise ImportIllisible(refus.message) from refus
    except ArchiveIllisible as erreur:
        raise _xlsx_illisible(fichier) from erreur


def lire_xlsx(flux, fichier):
    """Les feuilles connues d'un classeur XLSX, par nom."""
    _verifier_archive_xlsx(flux, fichier)
    feuilles = {}
    try:
        classeur = load_workbook(flux, read_only=True, data_only=True)
        # En lecture seule, openpyxl décompresse les feuilles au fil des lignes : un fichier
        # interne abîmé ne se révèle qu'ici.
        for nom_feuille in classeur.sheetnames:
            nom = _entete(nom_feuille)
            if nom not in COLONNES:
                continue
            rangees = classeur[nom_feuille].iter_rows(values_only=True)
            entetes = [_entete(valeur) for valeur in next(rangees, ())]
            lignes = []
            for numero, rangee in enumerate(rangees, start=2):
                if not any(_texte(cellule) for cellule in rangee):
                    continue
                lignes.append(
                    (numero, {nom: _texte(v) for nom, v in zip(entetes, rangee, strict=False)})
                )
            feuilles[nom] = Feuille(f"{fichier} › {nom_feuille}", entetes, lignes)
        classeur.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as erreur:
        raise _xlsx_illisible(fichier) from erreur
    return feuilles


def lire_chemin(chemin):
    """Les feuilles d'un dossier de CSV (`beneficiaires.csv`…) ou d'un classeur XLSX."""
    chemin = Path(chemin)
    if chemin.is_dir():
        feuilles = {}
        for nom in COLONNES:
            fichier = chemin / f"{nom}.csv"
            if fichier.exists():
                feuilles[nom] = lire_csv(fichier.read_bytes(), fichier.name)
        return feuilles
    if chemin.suffix.lower() == ".xlsx" and chemin.is_file():
        with chemin.open("rb") as flux:
            return lire_xlsx(flux, chemin.name)
    raise ImportIllisible(
        _("%(chemin)s : indiquez un dossier de fichiers CSV ou un classeur .xlsx existant.")
        % {"chemin": chemin}
    )


def lire_televersements(fichiers):
    """Les feuilles de fichiers envoyés par le formulaire : un XLSX, ou des CSV nommés comme
    les feuilles (`actions.csv`…)."""
    feuilles = {}
    for fichier in fichiers:
        nom = Path(fichier.name).name
        if nom.lower().endswith(".xlsx"):
            feuilles.update(lire_xlsx(fichier, nom))
        elif nom.lower().endswith(".csv"):
            cle = _entete(Path(nom).stem)
            if cle not in COLONNES:
                raise ImportIllisible(
                    _("%(nom)s : nom de fichier inattendu ; nommez-le %(noms)s.")
                    % {"nom": nom, "noms": ", ".join(f"{n}.csv" for n in COLONNES)}
                )
            feuilles[cle] = lire_csv(fichier.read(), nom)
        else:
            raise ImportIllisible(
                _("%(nom)s : seuls les fichiers .csv et .xlsx sont acceptés.") % {"nom": nom}
            )
    return feuilles
