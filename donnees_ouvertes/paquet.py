"""Le jeu de données d'une cohorte : le CSV des indicateurs et son descripteur Frictionless
Data Package (v1, profil « tabular-data-package », schéma Table Schema).

Les valeurs sont celles que lit un observateur sur la page du bilan, cellule par cellule :
elles viennent de `activite.presentation.presenter(bilan, masquer=True)` et rien ici ne
recalcule le secret statistique. Une cellule masquée garde sa marque (« < 5 », « masqué »,
« non diffusé ») et une cellule sans objet (un pourcentage sans dénominateur) reste vide :
le schéma déclare ces quatre valeurs manquantes (`missingValues`), un outil de lecture des
Data Packages les lit comme des valeurs absentes et la personne qui lit le fichier sait
pourquoi chacune manque.

Le jeu publié est en français (comme le bilan dont il sort) : ses titres et descriptions sont
des données, écrites dans la langue du jeu, quelle que soit celle de la personne qui publie.
"""

import csv
import io
import json
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from activite.presentation import (
    COLONNES_TABLEAU,
    LIBELLES,
    MASQUE,
    MASQUE_SECONDAIRE,
    NON_DIFFUSE,
    presenter,
)
from noyau.exports import cellule_sure

# Le nom de la licence est un nom propre, le même dans toutes les langues.
NOM_DE_LA_LICENCE = "Licence Ouverte 2.0"
LICENCE = {
    "name": "etalab-2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "title": NOM_DE_LA_LICENCE,
}
NOM_DU_FICHIER = "indicateurs.csv"
NOM_DU_DESCRIPTEUR = "datapackage.json"
COHORTE = "cohorte"
STRUCTURE = "structure"
# Vide : sans objet (aucun dénominateur, aucun parcours) ; les marques : masquées.
VALEURS_MANQUANTES = ["", MASQUE, MASQUE_SECONDAIRE, NON_DIFFUSE]

_PERSONNES = "personnes"
# Les colonnes du bilan : (type Table Schema, unité, description).
_COLONNES_DU_BILAN = {
    "referents_formes": (
        "integer",
        _PERSONNES,
        "Référents de la structure présents à au moins une session de formation du programme.",
    ),
    "actions": ("integer", "actions", "Ateliers, permanences et parcours d'initiation menés."),
    "ateliers_permanences": ("integer", "actions", "Ateliers et permanences menés."),
    "parcours": ("integer", "parcours", "Parcours d'initiation (ordinateur ou tablette) menés."),
    "heures_ordinateur": (
        "number",
        "heures",
        "Durée moyenne d'un parcours d'initiation sur ordinateur, au dixième d'heure.",
    ),
    "heures_tablette": (
        "number",
        "heures",
        "Durée moyenne d'un parcours d'initiation sur tablette, au dixième d'heure.",
    ),
    "beneficiaires": (
        "integer",
        _PERSONNES,
        "Personnes différentes ayant participé à au moins un atelier, une permanence ou un "
        "parcours.",
    ),
    "beneficiaires_en_parcours": (
        "integer",
        _PERSONNES,
        "Parmi les personnes accompagnées, celles qui ont suivi au moins un parcours.",
    ),
    "femmes_pct": (
        "number",
        "%",
        "Part des femmes parmi les personnes accompagnées dont le genre est renseigné, au dixième.",
    ),
    "hommes_pct": (
        "number",
        "%",
        "Part des hommes parmi les personnes accompagnées dont le genre est renseigné, au dixième.",
    ),
    "age_moyen": (
        "number",
        "ans",
        "Âge moyen des personnes accompagnées dont l'année de naissance est connue, au dixième "
        "(diffusé à partir de cinq personnes).",
    ),
    "parcours_complets_pct": (
        "number",
        "%",
        "Part des parcours terminés suivis jusqu'au bout (les autres ont été abandonnés), au "
        "dixième.",
    ),
    "liste_attente": (
        "integer",
        _PERSONNES,
        "Personnes en liste d'attente au dernier relevé de la structure.",
    ),
}

EXPLICATION_DU_MASQUAGE = (
    "Secret statistique : comme sur la page du bilan lue par les partenaires, « < 5 » "
    "remplace un compte de 1 à 4 personnes ; « masqué » cache un nombre, un pourcentage ou "
    "une moyenne qui laisserait retrouver un « < 5 » par soustraction, ou qui porte sur moins "
    "de cinq personnes ; « non diffusé » cache ce que masquer ne suffit pas à protéger. Une "
    "cellule vide est sans objet (pas de dénominateur). Ces quatre valeurs sont déclarées "
    "manquantes (missingValues) : un zéro est un vrai zéro."
)


def _champ(nom, type_, titre, description, *, unite=None, contraintes=None):
    """Un champ du schéma : ses titre et description sont des données du jeu, en français."""
    champ = {"name": nom, "type": type_, "title": titre, "description": description}
    if unite is not None:
        champ["unit"] = unite
    if contraintes:
        champ["constraints"] = contraintes
    return champ


def _champs():
    """Les champs du schéma, dans l'ordre des colonnes du CSV."""
    champs = [
        _champ(
            "niveau",
            "string",
            "Niveau",
            "« cohorte » pour la ligne de l'ensemble de la cohorte (la première), « structure » "
            "pour celle d'une structure lauréate.",
            contraintes={"required": True, "enum": [COHORTE, STRUCTURE]},
        ),
        _champ(
            "structure",
            "string",
            "Structure",
            "Nom de la structure lauréate (vide sur la ligne de la cohorte).",
        ),
        _champ(
            "siret",
            "string",
            "SIRET",
            "Numéro SIRET de la structure lauréate, identifiant public d'un établissement (vide "
            "sur la ligne de la cohorte).",
            contraintes={"pattern": "[0-9]{14}", "unique": True},
        ),
        _champ(
            "structures_accompagnees",
            "integer",
            str(LIBELLES["structures"]),
            "Structures lauréates comptées sur la ligne : toutes celles de la cohorte, ou 1 sur "
            "la ligne d'une structure. Unité : structures.",
            unite="structures",
            contraintes={"minimum": 0},
        ),
    ]
    for cle in COLONNES_TABLEAU:
        type_, unite, description = _COLONNES_DU_BILAN[cle]
        champ = _champ(
            cle,
            type_,
            str(LIBELLES[cle]),
            f"{description} Unité : {unite}.",
            unite=unite,
            contraintes={"minimum": 0},
        )
        if type_ == "number":
            champ["decimalChar"] = "."
        champs.append(champ)
    return champs


def _texte(valeur):
    """Une cellule du CSV : vide pour None, un nombre au point décimal sans zéro inutile
    (12.0 → « 12 », 14.5 → « 14.5 »), une marque du secret telle quelle."""
    if valeur is None:
        return ""
    if isinstance(valeur, float):
        return str(int(valeur)) if valeur.is_integer() else repr(valeur)
    return str(valeur)


def lignes(vue):
    """[[cellules]] du CSV, en-tête compris, depuis la vue masquée du bilan."""
    noms = [champ["name"] for champ in _champs()]
    sortie = [noms]
    sortie.append(
        [COHORTE, "", "", _texte(vue["structures"])]
        + [_texte(vue["valeurs"][cle]) for cle in COLONNES_TABLEAU]
    )
    for ligne in vue["lignes"]:
        sortie.append(
            [STRUCTURE, cellule_sure(ligne["structure"]), ligne["siret"], "1"]
            + [_texte(ligne["valeurs"][cle]) for cle in COLONNES_TABLEAU]
        )
    return sortie


def generer_csv(vue):
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, lineterminator="\r\n")
    ecrivain.writerows(lignes(vue))
    return sortie.getvalue()


def adresse_absolue(chemin):
    return urljoin(settings.SITE_URL, chemin)


def generer_descripteur(appel, *, publiee_le):
    programme = appel.programme
    titre = f"Indicateurs de la cohorte — {appel.titre}"
    return {
        "profile": "tabular-data-package",
        "name": f"relais-{appel.slug.lower()}",
        "title": titre,
        "description": (
            f"Les indicateurs du bilan de clôture de l'appel « {appel.titre} » du programme "
            f"« {programme.nom} », pour l'ensemble de la cohorte puis pour chaque structure "
            "lauréate : référents formés, actions menées, personnes accompagnées, parts des "
            "femmes et des hommes, âge moyen, parcours suivis jusqu'au bout, liste d'attente. "
            "Calculés par Relais à partir des saisies des structures lauréates et des feuilles "
            f"d'émargement des formations. {EXPLICATION_DU_MASQUAGE}"
        ),
        "homepage": adresse_absolue(reverse("donnees_ouvertes:jeu", args=[appel.slug])),
        "created": publiee_le.isoformat(timespec="seconds"),
        "keywords": ["inclusion numérique", "accompagnement", "bilan", "indicateurs"],
        "licenses": [dict(LICENCE)],
        "sources": [
            {"title": "Relais", "path": adresse_absolue("/")},
            {
                "title": f"{programme.nom} — {appel.titre}",
                "path": adresse_absolue(reverse("candidatures:appel", args=[appel.slug])),
            },
        ],
        "contributors": [{"title": programme.nom, "role": "publisher"}],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": "indicateurs",
                "title": titre,
                "description": (
                    "Une ligne pour la cohorte (niveau « cohorte »), puis une par structure "
                    f"lauréate (niveau « structure »). {EXPLICATION_DU_MASQUAGE}"
                ),
                "path": NOM_DU_FICHIER,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True, "lineTerminator": "\r\n"},
                "licenses": [dict(LICENCE)],
                "schema": {"fields": _champs(), "missingValues": list(VALEURS_MANQUANTES)},
            }
        ],
    }


def instantane(appel, bilan, *, publiee_le):
    """(csv, descripteur) du jeu de l'appel, en français, avec les valeurs que lit un
    observateur."""
    with translation.override("fr"):
        vue = presenter(bilan, masquer=True)
        return generer_csv(vue), generer_descripteur(appel, publiee_le=publiee_le)


def descripteur_en_json(descripteur):
    return json.dumps(descripteur, ensure_ascii=False, indent=2) + "\n"


def lire_csv(texte):
    """[[cellules]] d'un CSV publié, en-tête compris (l'aperçu avant publication)."""
    return list(csv.reader(io.StringIO(texte)))
