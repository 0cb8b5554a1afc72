"""Import des tableurs d'activité qu'une structure tient déjà : un dossier de fichiers CSV, ou un
classeur XLSX dont les feuilles portent les mêmes noms.

Tout est vérifié d'abord ; à la moindre erreur rien n'est écrit et le rapport donne, pour
chacune, le fichier, la ligne, la colonne et un message en français. L'écriture se fait en une
transaction (remplacement compris) : une structure n'a jamais une activité à moitié importée.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activite.enums import TYPES_PARCOURS, Genre, StatutParticipation, TypeAction, statuts_permis
from activite.models import Action, Beneficiaire, ListeAttente, Participation, Theme
from activite.versions import ecritures_groupees, noter_activite_modifiee
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.archives_zip import ArchiveIllisible, ArchiveRefusee, verifier_archive_zip
from territoires.models import Commune
from territoires.normalisation import code_insee_normalise, forme_de_recherche

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


# --- Lecture des fichiers ------------------------------------------------------------------


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
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

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


# --- Vérification --------------------------------------------------------------------------


def _date(texte):
    for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(texte, format_).date()
        except ValueError:
            continue
    return None


class _Verification:
    """Vérifie toutes les lignes et prépare ce qu'il faudra écrire ; aucune écriture ici."""

    def __init__(self, structure, feuilles, remplacer):
        self.structure = structure
        self.feuilles = feuilles
        self.remplacer = remplacer
        self.erreurs = []
        self.beneficiaires = {}  # code -> dict de champs
        self.actions = {}  # ref -> dict de champs
        self.participations = []  # (ref, code, statut)
        self.listes_attente = {}  # date -> nombre
        if remplacer:
            self.codes_existants, self.refs_existantes, self.dates_existantes = set(), {}, set()
        else:
            self.codes_existants = set(
                Beneficiaire.objects.filter(structure=structure).values_list("code", flat=True)
            )
            self.refs_existantes = dict(
                Action.objects.filter(structure=structure)
                .exclude(ref="")
                .values_list("ref", "type")
            )
            self.dates_existantes = set(
                ListeAttente.objects.filter(structure=structure).values_list("date", flat=True)
            )

    def erreur(self, feuille, ligne, colonne, message):
        self.erreurs.append(ErreurImport(feuille.fichier, ligne, colonne, message))

    def verifier(self):
        for nom in FEUILLES_OBLIGATOIRES:
            if nom not in self.feuilles:
                self.erreurs.append(
                    ErreurImport(
                        f"{nom}.csv",
                        None,
                        "",
                        _(
                            "la feuille « %(nom)s » manque (un fichier %(nom)s.csv dans le "
                            "dossier, ou une feuille de ce nom dans le classeur)."
                        )
                        % {"nom": nom},
                    )
                )
        colonnes_completes = True
        for nom, feuille in self.feuilles.items():
            manquantes = [c for c in COLONNES[nom] if c not in feuille.entetes]
            for colonne in manquantes:
                self.erreur(feuille, 1, colonne, _("colonne absente de la ligne d'en-tête."))
            colonnes_completes = colonnes_completes and not manquantes
        if self.erreurs or not colonnes_completes:
            return
        self._beneficiaires(self.feuilles["beneficiaires"])
        self._actions(self.feuilles["actions"])
        self._participations(self.feuilles["participations"])
        if "liste_attente" in self.feuilles:
            self._listes_attente(self.feuilles["liste_attente"])

    def _beneficiaires(self, feuille):
        lignes_des_codes = {}
        codes_insee = {
            code_insee_normalise(valeurs.get("commune_insee"))
            for _numero, valeurs in feuille.lignes
        } - {""}
        communes = dict(
            Commune.objects.filter(code_insee__in=codes_insee).values_list("code_insee", "pk")
        )
        annee_courante = timezone.localdate().year
        for numero, valeurs in feuille.lignes:
            code = valeurs.get("code", "")
            champs = {}
            if not code:
                self.erreur(feuille, numero, "code", _("le code est obligatoire."))
            elif not CODE_VALIDE.match(code):
                self.erreur(
                    feuille,
                    numero,
                    "code",
                    _(
                        "code « %(code)s » invalide : 30 caractères au plus, lettres sans "
                        "accent, chiffres, tiret, point ou souligné, sans espace (et jamais un "
                        "nom)."
                    )
                    % {"code": code},
                )
            elif code in lignes_des_codes:
                self.erreur(
                    feuille,
                    numero,
                    "code",
                    _("code « %(code)s » en double (déjà à la ligne %(ligne)s).")
                    % {"code": code, "ligne": lignes_des_codes[code]},
                )
            elif code in self.codes_existants:
                self.erreur(
                    feuille,
                    numero,
                    "code",
                    _(
                        "le code « %(code)s » est déjà enregistré pour cette structure ; pour "
                        "recharger tout le tableur, choisissez de remplacer l'activité."
                    )
                    % {"code": code},
                )
            else:
                lignes_des_codes[code] = numero
            genre = valeurs.get("genre", "").upper() or Genre.NON_RENSEIGNE
            if genre not in Genre.values:
                self.erreur(
                    feuille,
                    numero,
                    "genre",
                    _("genre « %(genre)s » inconnu : F, H, X ou NR (non renseigné).")
                    % {"genre": valeurs.get("genre")},
                )
            champs["genre"] = genre
            annee = valeurs.get("annee_naissance", "")
            champs["annee_naissance"] = None
            if annee:
                if not annee.isdigit() or not 1900 <= int(annee) <= annee_courante:
                    self.erreur(
                        feuille,
                        numero,
                        "annee_naissance",
                        _(
                            "année de naissance « %(annee)s » invalide : une année sur quatre "
                            "chiffres entre 1900 et %(annee_courante)s, ou vide."
                        )
                        % {"annee": annee, "annee_courante": annee_courante},
                    )
                else:
                    champs["annee_naissance"] = int(annee)
            code_insee = code_insee_normalise(valeurs.get("commune_insee"))
            champs["commune_id"] = None
            if code_insee:
                if code_insee not in communes:
                    self.erreur(
                        feuille,
                        numero,
                        "commune_insee",
                        _("code INSEE « %(code)s » inconnu, ou vide.")
                        % {"code": valeurs.get("commune_insee")},
                    )
                else:
                    champs["commune_id"] = communes[code_insee]
            if code and code in lignes_des_codes and lignes_des_codes[code] == numero:
                self.beneficiaires[code] = champs

    def _actions(self, feuille):
        themes = {forme_de_recherche(t.libelle): t.pk for t in Theme.objects.all()}
        lignes_des_refs = {}
        for numero, valeurs in feuille.lignes:
            ref = valeurs.get("ref", "")
            ok = True
            if not ref:
                self.erreur(feuille, numero, "ref", _("la référence de l'action est obligatoire."))
                ok = False
            elif len(ref) > 40:
                self.erreur(
                    feuille, numero, "ref", _("référence trop longue (40 caractères au plus).")
                )
                ok = False
            elif ref in lignes_des_refs:
                self.erreur(
                    feuille,
                    numero,
                    "ref",
                    _("référence « %(ref)s » en double (déjà à la ligne %(ligne)s).")
                    % {"ref": ref, "ligne": lignes_des_refs[ref]},
                )
                ok = False
            elif ref in self.refs_existantes:
                self.erreur(
                    feuille,
                    numero,
                    "ref",
                    _(
                        "l'action « %(ref)s » est déjà enregistrée pour cette structure ; pour "
                        "recharger tout le tableur, choisissez de remplacer l'activité."
                    )
                    % {"ref": ref},
                )
                ok = False
            else:
                lignes_des_refs[ref] = numero
            type_action = valeurs.get("type", "").lower()
            if type_action not in TypeAction.values:
                self.erreur(
                    feuille,
                    numero,
                    "type",
                    _("type « %(type)s » inconnu : %(types)s.")
                    % {"type": valeurs.get("type"), "types": ", ".join(TypeAction.values)},
                )
                ok = False
            theme_id = None
            theme = valeurs.get("theme", "")
            if theme:
                theme_id = themes.get(forme_de_recherche(theme))
                if theme_id is None:
                    self.erreur(
                        feuille,
                        numero,
                        "theme",
                        _(
                            "thème « %(theme)s » absent du catalogue ; choisissez l'un de : "
                            "%(themes)s."
                        )
                        % {
                            "theme": theme,
                            "themes": ", ".join(
                                Theme.objects.filter(actif=True).values_list("libelle", flat=True)
                            ),
                        },
                    )
                    ok = False
            date_debut = _date(valeurs.get("date_debut", ""))
            if date_debut is None:
                self.erreur(
                    feuille,
                    numero,
                    "date_debut",
                    _("date « %(date)s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA.")
                    % {"date": valeurs.get("date_debut", "")},
                )
                ok = False
            date_fin = None
            texte_fin = valeurs.get("date_fin", "")
            if type_action in TYPES_PARCOURS:
                date_fin = _date(texte_fin)
                if not texte_fin:
                    self.erreur(
                        feuille,
                        numero,
                        "date_fin",
                        _(
                            "un parcours a une date de fin : renseignez-la (AAAA-MM-JJ ou "
                            "JJ/MM/AAAA)."
                        ),
                    )
                    ok = False
                elif date_fin is None:
                    self.erreur(
                        feuille,
                        numero,
                        "date_fin",
                        _(
                            "date de fin « %(date)s » invalide : un parcours a une date de fin, "
                            "au format AAAA-MM-JJ ou JJ/MM/AAAA."
                        )
                        % {"date": texte_fin},
                    )
                    ok = False
                elif date_debut and date_fin < date_debut:
                    self.erreur(
                        feuille, numero, "date_fin", _("la date de fin précède la date de début.")
                    )
                    ok = False
            elif type_action in TypeAction.values and texte_fin:
                self.erreur(
                    feuille,
                    numero,
                    "date_fin",
                    _(
                        "un atelier ou une permanence tient en un jour : laissez la date de fin "
                        "vide."
                    ),
                )
                ok = False
            duree = None
            texte_duree = valeurs.get("duree_heures", "")
            try:
                duree = Decimal(texte_duree.replace(",", ".").replace(" ", ""))
                if not duree.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.erreur(
                    feuille,
                    numero,
                    "duree_heures",
                    _("durée « %(duree)s » invalide : un nombre d'heures (1,5 ou 1.5).")
                    % {"duree": texte_duree},
                )
                ok = False
            else:
                if duree <= 0:
                    self.erreur(
                        feuille,
                        numero,
                        "duree_heures",
                        _("durée « %(duree)s » invalide : elle doit être positive.")
                        % {"duree": texte_duree},
                    )
                    ok = False
                elif duree > DUREE_MAXIMALE:
                    self.erreur(
                        feuille,
                        numero,
                        "duree_heures",
                        _("durée trop longue (999 heures au plus)."),
                    )
                    ok = False
                elif duree != duree.quantize(Decimal("0.01")):
                    self.erreur(
                        feuille,
                        numero,
                        "duree_heures",
                        _("durée trop précise : deux décimales au plus."),
                    )
                    ok = False
            if ref and type_action in TypeAction.values:
                # Gardée même si une autre colonne est fausse : ses participations sont alors
                # vérifiées contre le bon type.
                self.actions.setdefault(
                    ref,
                    {
                        "type": type_action,
                        "theme_id": theme_id,
                        "date_debut": date_debut,
                        "date_fin": date_fin,
                        "duree_heures": duree,
                        "valide": ok,
                    },
                )

    def _participations(self, feuille):
        deja = {}
        for numero, valeurs in feuille.lignes:
            ref = valeurs.get("action_ref", "")
            code = valeurs.get("beneficiaire_code", "")
            statut = valeurs.get("statut", "").lower()
            if ref in self.actions:
                type_action = self.actions[ref]["type"]
            else:
                type_action = self.refs_existantes.get(ref)
            if type_action is None:
                self.erreur(
                    feuille,
                    numero,
                    "action_ref",
                    _(
                        "action « %(ref)s » inconnue : elle n'est ni dans la feuille des actions "
                        "ni déjà enregistrée."
                    )
                    % {"ref": ref},
                )
            if code not in self.beneficiaires and code not in self.codes_existants:
                self.erreur(
                    feuille,
                    numero,
                    "beneficiaire_code",
                    _(
                        "bénéficiaire « %(code)s » inconnu : ajoutez-le à la feuille des "
                        "bénéficiaires."
                    )
                    % {"code": code},
                )
            if statut not in StatutParticipation.values:
                self.erreur(
                    feuille,
                    numero,
                    "statut",
                    _(
                        "statut « %(statut)s » inconnu : present pour un atelier ou une "
                        "permanence ; en_cours, complet ou abandon pour un parcours."
                    )
                    % {"statut": valeurs.get("statut", "")},
                )
            elif type_action is not None and statut not in statuts_permis(type_action):
                if type_action in TYPES_PARCOURS:
                    message = _(
                        "statut « %(statut)s » impossible pour un parcours : en_cours, complet "
                        "ou abandon."
                    ) % {"statut": statut}
                else:
                    message = _(
                        "statut « %(statut)s » réservé aux parcours : pour un atelier ou une "
                        "permanence, indiquez present."
                    ) % {"statut": statut}
                self.erreur(feuille, numero, "statut", message)
            if (ref, code) in deja:
                self.erreur(
                    feuille,
                    numero,
                    "beneficiaire_code",
                    _("« %(code)s » figure déjà dans l'action « %(ref)s » (ligne %(ligne)s).")
                    % {"code": code, "ref": ref, "ligne": deja[ref, code]},
                )
            else:
                deja[ref, code] = numero
            self.participations.append((ref, code, statut))

    def _listes_attente(self, feuille):
        lignes_des_dates = {}
        for numero, valeurs in feuille.lignes:
            date = _date(valeurs.get("date", ""))
            if date is None:
                self.erreur(
                    feuille,
                    numero,
                    "date",
                    _("date « %(date)s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA.")
                    % {"date": valeurs.get("date", "")},
                )
            elif date in lignes_des_dates or date in self.dates_existantes:
                self.erreur(
                    feuille, numero, "date", _("une liste d'attente existe déjà à cette date.")
                )
            else:
                lignes_des_dates[date] = numero
            nombre = valeurs.get("nombre", "")
            if not nombre.isdigit():
                self.erreur(
                    feuille,
                    numero,
                    "nombre",
                    _("nombre « %(nombre)s » invalide : un nombre entier de personnes, 0 ou plus.")
                    % {"nombre": nombre},
                )
            elif date is not None:
                self.listes_attente[date] = int(nombre)


# --- Écriture ------------------------------------------------------------------------------


def _ecrire(verification, *, par):
    structure = verification.structure
    if verification.remplacer:
        Participation.objects.filter(action__structure=structure).delete()
        Action.objects.filter(structure=structure).delete()
        Beneficiaire.objects.filter(structure=structure).delete()
        ListeAttente.objects.filter(structure=structure).delete()
    Beneficiaire.objects.bulk_create(
        [
            Beneficiaire(structure=structure, code=code, **champs)
            for code, champs in verification.beneficiaires.items()
        ],
        batch_size=LIGNES_PAR_LOT,
    )
    Action.objects.bulk_create(
        [
            Action(
                structure=structure,
                ref=ref,
                type=champs["type"],
                theme_id=champs["theme_id"],
                date_debut=champs["date_debut"],
                date_fin=champs["date_fin"],
                duree_heures=champs["duree_heures"],
                creee_par=par,
            )
            for ref, champs in verification.actions.items()
        ],
        batch_size=LIGNES_PAR_LOT,
    )
    ids_beneficiaires = dict(
        Beneficiaire.objects.filter(structure=structure).values_list("code", "pk")
    )
    ids_actions = dict(
        Action.objects.filter(structure=structure).exclude(ref="").values_list("ref", "pk")
    )
    Participation.objects.bulk_create(
        [
            Participation(
                action_id=ids_actions[ref], beneficiaire_id=ids_beneficiaires[code], statut=statut
            )
            for ref, code, statut in verification.participations
        ],
        batch_size=LIGNES_PAR_LOT,
    )
    ListeAttente.objects.bulk_create(
        [
            ListeAttente(structure=structure, date=date, nombre=nombre, saisie_par=par)
            for date, nombre in verification.listes_attente.items()
        ]
    )


def importer_activite(structure, feuilles, *, remplacer=False, essai=False, par=None):
    """Vérifie puis, sans erreur et hors essai, écrit l'activité de la structure.

    En une transaction : verrou sur la structure, effacement de son activité si `remplacer`,
    création des bénéficiaires, actions, participations et listes d'attente, jeton d'activité
    de la structure renouvelé (son bilan en cache ne sert plus), une ligne de journal. Avec
    une seule erreur, ou en essai, rien n'est écrit. Renvoie le rapport.
    """
    from candidatures.models import Structure

    rapport = RapportImport(remplacer=remplacer, essai=essai)
    with transaction.atomic():
        # Deux imports simultanés pour la même structure se suivent au lieu de se mêler.
        Structure.objects.select_for_update().filter(pk=structure.pk).exists()
        verification = _Verification(structure, feuilles, remplacer)
        verification.verifier()
        rapport.erreurs = verification.erreurs
        rapport.comptes = {
            "beneficiaires": len(verification.beneficiaires),
            "actions": len(verification.actions),
            "participations": len(verification.participations),
            "listes_attente": len(verification.listes_attente),
        }
        if rapport.erreurs or essai:
            return rapport
        with ecritures_groupees():
            _ecrire(verification, par=par)
            # bulk_create n'envoie aucun signal : le bilan de la structure change quand même.
            noter_activite_modifiee(structures=[structure.pk])
        journaliser(
            TypeEvenement.ACTIVITE_IMPORTEE,
            cible=structure,
            acteur=par,
            donnees={**rapport.comptes, "remplacement": remplacer},
        )
        rapport.applique = True
    return rapport
