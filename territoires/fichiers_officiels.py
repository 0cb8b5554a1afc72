"""Lecture des fichiers de référence : ceux livrés avec Relais (`territoires/donnees/`) et les
fichiers officiels dans leurs colonnes d'origine (populations légales INSEE, liste des QPV de
l'ANCT).

Chaque lecteur valide tout le fichier avant que quoi que ce soit soit écrit : une erreur lève
`FichierInvalide` avec un message, dans la langue active, qui cite les lignes fautives.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext

from territoires.enums import MotifCorrespondance, TypeRattachement
from territoires.exceptions import FichierInvalide
from territoires.normalisation import code_insee_normalise, forme_de_recherche

ERREURS_AFFICHEES = 10

# Un code de commune ou d'arrondissement : 59350, 2A004, 97601.
FORME_CODE_INSEE = re.compile(r"^(\d{2}|2A|2B)\d{3}$")
# QN05972M, QN02A01M (liste 2024), QP059001 (liste 2015).
FORME_CODE_QPV = re.compile(r"^Q[A-Z][0-9A-Z]{5,7}$")
FORME_VERSION_QPV = re.compile(r"^QPV(\d{4})$")

# Pour chaque donnée, les en-têtes acceptés (sous leur forme normalisée), le nôtre en premier.
COLONNES_COMMUNES = {
    "code_insee": ["insee_code", "code_insee", "com", "codgeo"],
    "nom": ["name", "nom", "commune", "libgeo"],
    "departement": ["department_code", "departement", "dep", "code_departement"],
    "siren_epci": ["epci_siren", "siren_epci", "epci"],
    "municipale": ["population", "population_municipale", "pmun"],
    "annee": ["population_year", "annee_population", "annee"],
    "totale": ["population_totale", "ptot"],
}
COLONNES_POPULATIONS = {
    "code_insee": ["com", "codgeo", "depcom", "insee_code", "code_insee", "code_commune"],
    "departement": ["dep", "code_departement"],
    "code_dans_departement": ["codcom"],
    "nom": ["commune", "nom_de_la_commune", "libgeo", "name", "nom"],
    "municipale": ["pmun", "population_municipale", "population"],
    "totale": ["ptot", "population_totale"],
}
COLONNES_QPV = {
    "code": ["qpv_code", "code_qp", "code_qpv", "codeqp"],
    "nom": ["qpv_name", "lib_qp", "nom_qp", "lib_qpv", "nom_qpv"],
    "communes": ["insee_code", "insee_com", "code_insee", "code_commune", "codgeo", "depcom"],
    "version": ["list_version", "version", "version_liste"],
}
COLONNES_EPCI = {
    "siren": ["epci_siren", "siren", "siren_epci", "code"],
    "nom": ["name", "nom", "raison_sociale", "nom_du_groupement", "lib_epci"],
}
COLONNES_RATTACHEES = {
    "code": ["insee_code", "code_insee", "code"],
    "nom": ["name", "nom"],
    "type": ["type"],
    "code_parent": ["parent_insee_code", "code_parent", "chef_lieu"],
    "departement": ["department_code", "departement", "dep"],
}
COLONNES_CORRESPONDANCES = {
    "ancien_code": ["ancien_code", "code_ancien", "com_ini", "code"],
    "code_insee": ["code_insee", "code_actuel", "com_fin", "insee_code"],
    "motif": ["motif"],
    "depuis": ["depuis", "date_eff", "date_effet"],
}


@dataclass(frozen=True)
class LigneCommune:
    code_insee: str
    nom: str
    departement: str
    siren_epci: str
    municipale: int | None
    totale: int | None
    annee: int | None


@dataclass(frozen=True)
class LignePopulation:
    numero: int
    code_insee: str
    nom: str
    municipale: int | None
    totale: int | None


@dataclass
class QpvLu:
    code: str
    nom: str
    codes_communes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ListeQpvLue:
    version: str
    annee: int
    qpv: dict[str, QpvLu]


@dataclass(frozen=True)
class LigneEpci:
    siren: str
    nom: str


@dataclass(frozen=True)
class LigneRattachee:
    code: str
    nom: str
    type: str
    code_parent: str
    departement: str


@dataclass(frozen=True)
class LigneCorrespondance:
    ancien_code: str
    code_insee: str
    motif: str
    depuis: date | None


class _Tableau:
    """Un CSV décodé (UTF-8, avec ou sans BOM, sinon Windows-1252), séparateur deviné, dont
    les colonnes sont retrouvées par leurs noms acceptés."""

    def __init__(self, contenu: bytes, colonnes_acceptees: dict, obligatoires: list[str]):
        texte = _decoder(contenu)
        lignes = texte.splitlines()
        if not lignes or not lignes[0].strip():
            raise FichierInvalide(gettext("Le fichier est vide."))
        separateur = max([";", ",", "\t"], key=lignes[0].count)
        lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
        entetes = [forme_de_recherche(nom).replace(" ", "_") for nom in next(lecteur)]
        self.index = {}
        for donnee, noms in colonnes_acceptees.items():
            for nom in noms:
                if nom in entetes:
                    self.index[donnee] = entetes.index(nom)
                    break
        manquantes = [d for d in obligatoires if d not in self.index]
        if manquantes:
            attendues = " ; ".join(
                f"{d} (« {' », « '.join(colonnes_acceptees[d])} »)" for d in manquantes
            )
            raise FichierInvalide(
                gettext("Colonnes introuvables : %(attendues)s. Colonnes du fichier : %(lues)s.")
                % {"attendues": attendues, "lues": ", ".join(entetes) or gettext("aucune")}
            )
        self.lecteur = lecteur
        self.erreurs = []

    def lignes(self):
        """(numéro de ligne dans le fichier, accès aux valeurs) pour chaque ligne non vide."""
        for numero, valeurs in enumerate(self.lecteur, start=2):
            if not any(v.strip() for v in valeurs):
                continue
            yield numero, _Valeurs(valeurs, self.index)

    def erreur(self, numero, message):
        self.erreurs.append(
            gettext("ligne %(numero)s : %(message)s") % {"numero": numero, "message": message}
        )

    def verifier(self):
        if self.erreurs:
            suite = len(self.erreurs) - ERREURS_AFFICHEES
            detail = "\n".join(self.erreurs[:ERREURS_AFFICHEES])
            if suite > 0:
                detail += "\n" + gettext("… et %(suite)s autre(s) erreur(s).") % {"suite": suite}
            raise FichierInvalide(
                gettext("Le fichier contient %(nombre)s erreur(s), rien n'a été importé :")
                % {"nombre": len(self.erreurs)}
                + "\n"
                + detail
            )


class _Valeurs:
    def __init__(self, valeurs, index):
        self.valeurs = valeurs
        self.index = index

    def __getitem__(self, donnee):
        position = self.index.get(donnee)
        if position is None or position >= len(self.valeurs):
            return ""
        return self.valeurs[position].strip()


def _decoder(contenu: bytes) -> str:
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Les fichiers INSEE anciens sont en Windows-1252.
        return contenu.decode("cp1252")


def _entier(tableau, numero, valeur, libelle):
    """« 7921 », « 7 921 » ou « 7921.0 » (export tableur) ; vide : None."""
    chiffres = valeur.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if chiffres.endswith(".0"):
        chiffres = chiffres[:-2]
    if not chiffres:
        return None
    if not chiffres.isdigit():
        tableau.erreur(
            numero,
            gettext("%(donnee)s « %(valeur)s » n'est pas un nombre entier positif")
            % {"donnee": libelle, "valeur": valeur},
        )
        return None
    return int(chiffres)


def _siren_invalide(siren):
    return gettext("SIREN d'EPCI « %(siren)s » invalide (9 chiffres attendus)") % {"siren": siren}


def _code_commune(tableau, numero, valeur):
    code = code_insee_normalise(valeur.lstrip("=").strip('"'))
    if not FORME_CODE_INSEE.match(code):
        tableau.erreur(numero, gettext("code INSEE « %(code)s » invalide") % {"code": valeur})
        return None
    return code


def lire_communes(contenu: bytes) -> list[LigneCommune]:
    """Le fichier des communes livré avec Relais (voir `donnees/README.md`)."""
    tableau = _Tableau(contenu, COLONNES_COMMUNES, ["code_insee", "nom", "departement"])
    communes = {}
    for numero, valeurs in tableau.lignes():
        code = _code_commune(tableau, numero, valeurs["code_insee"])
        if not valeurs["nom"]:
            tableau.erreur(numero, gettext("nom de commune vide"))
        siren = valeurs["siren_epci"]
        if siren and not (siren.isdigit() and len(siren) == 9):
            tableau.erreur(numero, _siren_invalide(siren))
        annee = _entier(tableau, numero, valeurs["annee"], gettext("le millésime"))
        if code in communes:
            tableau.erreur(
                numero, gettext("la commune %(code)s apparaît deux fois") % {"code": code}
            )
        if code:
            communes[code] = LigneCommune(
                code_insee=code,
                nom=valeurs["nom"],
                departement=valeurs["departement"],
                siren_epci=siren,
                municipale=_entier(
                    tableau, numero, valeurs["municipale"], gettext("la population")
                ),
                totale=_entier(tableau, numero, valeurs["totale"], gettext("la population totale")),
                annee=annee,
            )
    tableau.verifier()
    return list(communes.values())


def lire_epci(contenu: bytes) -> list[LigneEpci]:
    """Les EPCI et leur nom : le fichier livré avec Relais (voir `donnees/README.md`) ou la
    liste de la DGCL (`siren`, `raison_sociale`)."""
    tableau = _Tableau(contenu, COLONNES_EPCI, ["siren", "nom"])
    epci = {}
    for numero, valeurs in tableau.lignes():
        siren = valeurs["siren"]
        if not (siren.isdigit() and len(siren) == 9):
            tableau.erreur(numero, _siren_invalide(siren))
            continue
        if not valeurs["nom"]:
            tableau.erreur(numero, gettext("nom vide pour l'EPCI %(siren)s") % {"siren": siren})
        if siren in epci:
            tableau.erreur(
                numero, gettext("l'EPCI %(siren)s apparaît deux fois") % {"siren": siren}
            )
        epci[siren] = LigneEpci(siren=siren, nom=valeurs["nom"])
    tableau.verifier()
    return list(epci.values())


def lire_populations(contenu: bytes) -> list[LignePopulation]:
    """Un fichier de populations légales de l'INSEE (`donnees_communes.csv` : DEP, CODCOM, COM,
    Commune, PMUN, PTOT), ou tout CSV qui a un code commune et une population municipale."""
    tableau = _Tableau(contenu, COLONNES_POPULATIONS, ["municipale"])
    if "code_insee" not in tableau.index and not {
        "departement",
        "code_dans_departement",
    } <= set(tableau.index):
        raise FichierInvalide(
            gettext(
                "Colonnes introuvables : le code de la commune (« COM » ou « CODGEO »), "
                "ou le département et le code dans le département (« DEP » et « CODCOM »)."
            )
        )
    lignes = []
    for numero, valeurs in tableau.lignes():
        code = valeurs["code_insee"]
        if len(code) != 5 and valeurs["code_dans_departement"]:
            # Mayotte dans les fichiers INSEE : DEP 976, CODCOM 601 → 97601.
            code = valeurs["departement"][:2] + valeurs["code_dans_departement"][-3:]
        code = _code_commune(tableau, numero, code)
        municipale = _entier(
            tableau, numero, valeurs["municipale"], gettext("la population municipale")
        )
        if code:
            lignes.append(
                LignePopulation(
                    numero=numero,
                    code_insee=code,
                    nom=valeurs["nom"],
                    municipale=municipale,
                    totale=_entier(
                        tableau, numero, valeurs["totale"], gettext("la population totale")
                    ),
                )
            )
    tableau.verifier()
    return lignes


def annee_de_version_qpv(version):
    correspondance = FORME_VERSION_QPV.match(version or "")
    return int(correspondance.group(1)) if correspondance else None


def version_qpv_deduite(code_qpv):
    """La génération se lit dans le code : QN… pour la liste 2024, QP… pour celle de 2015."""
    return {"QN": "QPV2024", "QP": "QPV2015"}.get(code_qpv[:2], "")


def _codes_communes_qpv(valeur):
    """« 59220 », « ="59220" » (export tableur de l'ANCT), « 59220; 59346 », « 02571, 02691 »."""
    valeur = valeur.replace('"', "").lstrip("=")
    return [code for code in re.split(r"[;,\s]+", valeur) if code]


def lire_liste_qpv(contenu: bytes, version: str = "") -> ListeQpvLue:
    """La liste des QPV : le fichier livré (une ligne par QPV et commune) ou le CSV officiel de
    l'ANCT (une ligne par QPV, ses communes séparées par « ; »).

    La version vient de l'argument, sinon de la colonne `list_version`, sinon des codes
    (QN : QPV2024, QP : QPV2015). Un fichier ne porte qu'une version.
    """
    tableau = _Tableau(contenu, COLONNES_QPV, ["code", "nom", "communes"])
    qpv = {}
    versions = set()
    for numero, valeurs in tableau.lignes():
        code = valeurs["code"].upper()
        if not FORME_CODE_QPV.match(code):
            tableau.erreur(
                numero, gettext("code QPV « %(code)s » invalide") % {"code": valeurs["code"]}
            )
            continue
        if not valeurs["nom"]:
            tableau.erreur(numero, gettext("le QPV %(code)s n'a pas de nom") % {"code": code})
        versions.add(valeurs["version"] or version or version_qpv_deduite(code))
        codes = [
            _code_commune(tableau, numero, c) for c in _codes_communes_qpv(valeurs["communes"])
        ]
        if not codes:
            tableau.erreur(numero, gettext("le QPV %(code)s n'a aucune commune") % {"code": code})
        lu = qpv.setdefault(code, QpvLu(code=code, nom=valeurs["nom"]))
        if lu.nom != valeurs["nom"]:
            tableau.erreur(
                numero,
                gettext("le QPV %(code)s a deux noms : « %(premier)s » et « %(second)s »")
                % {"code": code, "premier": lu.nom, "second": valeurs["nom"]},
            )
        lu.codes_communes.extend(c for c in codes if c and c not in lu.codes_communes)
    tableau.verifier()
    if not qpv:
        raise FichierInvalide(gettext("Le fichier ne contient aucun QPV."))
    if version:
        versions = {version} | (versions - {""})
    if len(versions) != 1 or "" in versions:
        trouvees = ", ".join(sorted(v for v in versions if v)) or gettext("aucune")
        raise FichierInvalide(
            gettext(
                "Impossible de dire de quelle liste de QPV il s'agit "
                "(versions trouvées : %(versions)s). Précisez la version, par exemple QPV2015."
            )
            % {"versions": trouvees}
        )
    version_lue = versions.pop()
    annee = annee_de_version_qpv(version_lue)
    if annee is None:
        raise FichierInvalide(
            gettext(
                "Version de liste « %(version)s » invalide : QPV suivi de l'année, "
                "par exemple QPV2015."
            )
            % {"version": version_lue}
        )
    return ListeQpvLue(version=version_lue, annee=annee, qpv=qpv)


def lire_correspondances(contenu: bytes) -> list[LigneCorrespondance]:
    """Anciens codes (arrondissements municipaux, communes fusionnées) et leur commune."""
    tableau = _Tableau(contenu, COLONNES_CORRESPONDANCES, ["ancien_code", "code_insee", "motif"])
    lignes = {}
    for numero, valeurs in tableau.lignes():
        ancien = _code_commune(tableau, numero, valeurs["ancien_code"])
        actuel = _code_commune(tableau, numero, valeurs["code_insee"])
        motif = valeurs["motif"]
        if motif not in MotifCorrespondance.values:
            tableau.erreur(
                numero,
                gettext("motif « %(motif)s » inconnu (attendu : %(attendus)s)")
                % {"motif": motif, "attendus": ", ".join(MotifCorrespondance.values)},
            )
        depuis = None
        if valeurs["depuis"]:
            try:
                depuis = date.fromisoformat(valeurs["depuis"])
            except ValueError:
                tableau.erreur(
                    numero,
                    gettext("date « %(date)s » invalide (AAAA-MM-JJ)")
                    % {"date": valeurs["depuis"]},
                )
        if ancien and ancien == actuel:
            tableau.erreur(
                numero, gettext("le code %(code)s renvoie vers lui-même") % {"code": ancien}
            )
        if ancien in lignes:
            tableau.erreur(
                numero, gettext("le code %(code)s apparaît deux fois") % {"code": ancien}
            )
        if ancien and actuel:
            lignes[ancien] = LigneCorrespondance(ancien, actuel, motif, depuis)
    tableau.verifier()
    return list(lignes.values())


def regrouper_par_commune(lignes, commune_de_code):
    """Les populations d'un fichier, rapportées aux communes en vigueur.

    Une ligne dont le code est une commune en vigueur donne sa population. Les lignes
    d'arrondissements ou d'anciennes communes s'additionnent sur leur commune, sauf si le
    fichier donne aussi la commune elle-même. `commune_de_code(code)` renvoie le code de la
    commune en vigueur et s'il s'agit d'un ancien code, ou None si le code est inconnu.

    Renvoie ({code commune: (municipale, totale)}, [lignes inconnues]).
    """
    directes = {}
    sommes = defaultdict(list)
    inconnues = []
    for ligne in lignes:
        trouve = commune_de_code(ligne.code_insee)
        if trouve is None:
            inconnues.append(ligne)
            continue
        code, ancien = trouve
        if ancien:
            sommes[code].append(ligne)
        else:
            directes[code] = (ligne.municipale, ligne.totale)
    for code, parties in sommes.items():
        if code in directes:
            continue
        directes[code] = (
            _somme([p.municipale for p in parties]),
            _somme([p.totale for p in parties]),
        )
    return directes, inconnues


def _somme(valeurs):
    return None if any(v is None for v in valeurs) else sum(valeurs)


def lire_communes_rattachees(contenu: bytes) -> list[LigneRattachee]:
    """Communes déléguées, associées et arrondissements municipaux, avec leur commune."""
    tableau = _Tableau(contenu, COLONNES_RATTACHEES, ["code", "nom", "type", "code_parent"])
    lignes = {}
    for numero, valeurs in tableau.lignes():
        code = _code_commune(tableau, numero, valeurs["code"])
        parent = _code_commune(tableau, numero, valeurs["code_parent"])
        type_ = valeurs["type"]
        if type_ not in TypeRattachement.values:
            tableau.erreur(
                numero,
                gettext("type « %(type)s » inconnu (attendu : %(attendus)s)")
                % {"type": type_, "attendus": ", ".join(TypeRattachement.values)},
            )
        if not valeurs["nom"]:
            tableau.erreur(numero, gettext("nom vide"))
        if (code, type_) in lignes:
            tableau.erreur(
                numero,
                gettext("%(code)s (%(type)s) apparaît deux fois") % {"code": code, "type": type_},
            )
        if code and parent:
            departement = valeurs["departement"] or code[:2]
            lignes[code, type_] = LigneRattachee(code, valeurs["nom"], type_, parent, departement)
    tableau.verifier()
    return list(lignes.values())
