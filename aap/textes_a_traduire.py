"""Repère, dans les gabarits, le texte montré à l'utilisateur qui n'est pas marqué pour la
traduction (ni dans `{% translate %}` ni dans `{% blocktranslate %}`).

Le gabarit est relu comme le navigateur le verrait : chaque balise et chaque variable de
gabarit devient un blanc, le texte des blocs à traduire aussi ; reste le HTML écrit en dur.
Sont examinés le texte des éléments (hors `<script>` et `<style>`) et les attributs lus par
une personne ou une aide technique (`title`, `alt`, `aria-label`, `placeholder`, la valeur
d'un bouton). Dans un gabarit texte (courriel), tout texte hors balise compte.

    python -m aap.textes_a_traduire templates/candidatures
"""

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

BLANC = "\x00"
_LETTRE = re.compile(r"[^\W\d_]", re.UNICODE)
# Des mots qui ne se traduisent pas : le nom du produit, des sigles, des unités.
_INVARIABLES = {
    "Relais",
    "SIRET",
    "SIREN",
    "INSEE",
    "EPCI",
    "QPV",
    "CSV",
    "XLSX",
    "PDF",
    "ICS",
    "TOTP",
    "h",
    "min",
}
_ATTRIBUTS_LUS = {
    "title",
    "alt",
    "aria-label",
    "placeholder",
    "aria-description",
    "aria-roledescription",
}
_OUVRE_BLOC = {"blocktranslate", "blocktrans"}
_FERME_BLOC = {"endblocktranslate", "endblocktrans"}


def _a_traduire(texte):
    mots = re.findall(r"[^\W\d_][\w'’-]*", texte.replace(BLANC, " "))
    return [mot for mot in mots if mot not in _INVARIABLES and _LETTRE.search(mot)]


def texte_brut(source):
    """Le gabarit où tout ce qui relève du langage de gabarit est remplacé par un blanc."""
    morceaux = []
    profondeur_bloc = 0
    commentaire = False
    for jeton in Lexer(source).tokenize():
        if jeton.token_type == TokenType.BLOCK:
            nom = jeton.contents.split()[0] if jeton.contents.split() else ""
            if nom == "comment":
                commentaire = True
            elif nom == "endcomment":
                commentaire = False
            elif nom in _OUVRE_BLOC:
                profondeur_bloc += 1
            elif nom in _FERME_BLOC:
                profondeur_bloc -= 1
            morceaux.append(BLANC)
        elif jeton.token_type == TokenType.TEXT and not profondeur_bloc and not commentaire:
            morceaux.append(jeton.contents)
        else:
            morceaux.append(BLANC)
    return "".join(morceaux)


class _Lecteur(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.trouves = []
        self._ignore = 0

    def handle_starttag(self, balise, attributs):
        if balise in {"script", "style"}:
            self._ignore += 1
        attributs = {nom: valeur or "" for nom, valeur in attributs}
        for nom, valeur in attributs.items():
            if nom in _ATTRIBUTS_LUS and _a_traduire(valeur):
                self.trouves.append((self.getpos()[0], f'{nom}="{valeur.replace(BLANC, "…")}"'))
        bouton = balise == "input" and attributs.get("type") in {"submit", "button", "reset"}
        if bouton and _a_traduire(attributs.get("value", "")):
            self.trouves.append((self.getpos()[0], f'value="{attributs["value"]}"'))

    def handle_endtag(self, balise):
        if balise in {"script", "style"} and self._ignore:
            self._ignore -= 1

    def handle_data(self, donnees):
        if not self._ignore and _a_traduire(donnees):
            self.trouves.append((self.getpos()[0], " ".join(donnees.replace(BLANC, "…").split())))


def textes_non_traduits(chemin):
    """[(ligne, texte)] du texte visible écrit en dur dans le gabarit `chemin`."""
    chemin = Path(chemin)
    brut = texte_brut(chemin.read_text(encoding="utf-8"))
    if chemin.suffix == ".txt":
        trouves = []
        for numero, ligne in enumerate(brut.splitlines(), start=1):
            if _a_traduire(ligne):
                trouves.append((numero, " ".join(ligne.replace(BLANC, "…").split())))
        return trouves
    lecteur = _Lecteur()
    lecteur.feed(brut)
    lecteur.close()
    return lecteur.trouves


def gabarits(racine):
    racine = Path(racine)
    if racine.is_file():
        return [racine]
    return sorted(p for p in racine.rglob("*") if p.suffix in {".html", ".txt"})


def main(arguments):
    total = 0
    for racine in arguments or ["templates"]:
        for chemin in gabarits(racine):
            for ligne, texte in textes_non_traduits(chemin):
                total += 1
                print(f"{chemin}:{ligne}: {texte}")
    print(f"{total} texte(s) à marquer pour la traduction", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
