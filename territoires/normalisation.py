"""Formes normalisées des codes INSEE et des noms de commune, pour comparer ce qu'une personne
tape ou ce qu'un fichier officiel contient avec ce que la base connaît."""

import re
import unicodedata

# Ligatures que la décomposition Unicode ne sépare pas : « Marcq-en-Barœul ».
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_HORS_LETTRES_ET_CHIFFRES = re.compile(r"[^a-z0-9]+")

# Abréviations courantes dans une saisie, jamais dans les noms officiels.
_ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def forme_de_recherche(texte):
    """« Faches-Thumesnil » → « faches thumesnil » : sans accents, tirets, apostrophes ni
    majuscules, les mots séparés par une seule espace."""
    texte = unicodedata.normalize("NFKD", (texte or "").translate(_LIGATURES))
    sans_accents = "".join(c for c in texte if not unicodedata.combining(c))
    return _HORS_LETTRES_ET_CHIFFRES.sub(" ", sans_accents.lower()).strip()


def forme_de_recherche_saisie(texte):
    """Comme `forme_de_recherche`, en développant « st » en « saint » : « st amand » trouve
    Saint-Amand-les-Eaux."""
    mots = forme_de_recherche(texte).split(" ")
    return " ".join(_ABREVIATIONS.get(mot, mot) for mot in mots)


def code_insee_normalise(code):
    """Un code tel qu'on le reçoit (espaces, minuscules de la Corse, zéro initial perdu par un
    tableur : « 1001 ») ramené à ses cinq caractères."""
    code = (code or "").strip().upper()
    if code.isdigit() and len(code) == 4:
        return "0" + code
    return code
