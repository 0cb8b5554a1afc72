"""Repère, dans les gabarits, le texte montré à l'utilisateur qui n'est pas marqué pour la
traduction (ni dans `{% translate %}` ni dans `{% blocktranslate %}`).

Le gabarit est relu comme le navigateur le verrait : chaque balise et chaque variable de
gabarit devient un blanc, le texte des blocs à traduire aussi ; reste le HTML écrit en dur.
Sont examinés le texte des éléments (hors `<script>` et `<style>`) et les attributs lus par
une personne ou une aide technique (`title`, `alt`, `aria-label`, `placeholder`, la valeur
d'un bouton). Dans un gabarit texte (courriel), tout texte hors balise compte.

    python -m aap.textes_a_traduire templates/candidatures
"""

import ast
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
    # Une balise dont le nom vient du gabarit (`<{% if lien %}a{% else %}button{% endif %}`)
    # reste une balise pour le lecteur HTML.
    return re.sub(r"(</?)\x00", r"\1x ", "".join(morceaux))


_FILTRE_TEXTE = re.compile(r"\|(default|default_if_none|yesno):(?P<q>[\"'])(?P<texte>.*?)(?P=q)")
_FILTRE_DATE = re.compile(r"\|(date|time):(?P<q>[\"'])(?P<texte>.*?)(?P=q)")
# Les lettres qu'un format de date remplace ; toute autre lettre est écrite telle quelle
# (« j F Y à H:i » écrit « à » même en anglais) : un format nommé ou une phrase traduite.
_CODES_DE_DATE = set("aAbBcdDeEfFgGhHiIjlLmMnNoOPrsStTuUwWyYzZ")
_PARAMETRE_TEXTE = re.compile(r"\b\w+=(?P<q>[\"'])(?P<texte>[^\"']*)(?P=q)")


def _litteraux_a_traduire(jeton):
    """Les textes entre guillemets d'une variable ou d'une balise de gabarit qui s'affichent
    tels quels : `|default:"à venir"`, `|date:"j F à H:i"`, `{% include … with titre="Bilan" %}`."""
    trouves = []
    if jeton.token_type == TokenType.VAR:
        for correspondance in _FILTRE_TEXTE.finditer(jeton.contents):
            if _a_traduire(correspondance["texte"]):
                trouves.append(correspondance["texte"])
        for correspondance in _FILTRE_DATE.finditer(jeton.contents):
            format_date = correspondance["texte"]
            if not format_date.isupper() and _lettres_hors_codes(format_date):
                trouves.append(f"format de date « {format_date} »")
    elif jeton.token_type == TokenType.BLOCK and jeton.contents.split()[0] in {"include", "with"}:
        for correspondance in _PARAMETRE_TEXTE.finditer(jeton.contents):
            texte = correspondance["texte"]
            if _a_traduire(texte) and (" " in texte or texte[:1].isupper() or not texte.isascii()):
                trouves.append(texte)
    return [(jeton.lineno, texte) for texte in trouves]


def _lettres_hors_codes(format_date):
    return [c for c in re.sub(r"\\.", "", format_date) if c.isalpha() and c not in _CODES_DE_DATE]


# Balises sans fin : elles n'ouvrent pas de contenu.
_VIDES = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _Lecteur(HTMLParser):
    """Le texte d'un élément marqué `translate="no"` (du code, une commande, un texte écrit par
    une personne) n'est pas à traduire, ni celui des éléments qu'il contient."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.trouves = []
        self._ignore = 0
        self._ouvertes = []  # (balise, marquée translate="no")

    def handle_starttag(self, balise, attributs):
        if balise in {"script", "style"}:
            self._ignore += 1
        attributs = {nom: valeur or "" for nom, valeur in attributs}
        if balise not in _VIDES:
            self._ouvertes.append((balise, attributs.get("translate") == "no"))
        for nom, valeur in attributs.items():
            if nom in _ATTRIBUTS_LUS and _a_traduire(valeur):
                self.trouves.append((self.getpos()[0], f'{nom}="{valeur.replace(BLANC, "…")}"'))
        bouton = balise == "input" and attributs.get("type") in {"submit", "button", "reset"}
        if bouton and _a_traduire(attributs.get("value", "")):
            self.trouves.append((self.getpos()[0], f'value="{attributs["value"]}"'))

    def handle_endtag(self, balise):
        if balise in {"script", "style"} and self._ignore:
            self._ignore -= 1
        for rang in range(len(self._ouvertes) - 1, -1, -1):
            if self._ouvertes[rang][0] == balise:
                del self._ouvertes[rang:]
                break

    def handle_data(self, donnees):
        sans_traduction = any(marquee for _balise, marquee in self._ouvertes)
        if not self._ignore and not sans_traduction and _a_traduire(donnees):
            self.trouves.append((self.getpos()[0], " ".join(donnees.replace(BLANC, "…").split())))


def textes_non_traduits(chemin):
    """[(ligne, texte)] du texte visible écrit en dur dans le gabarit `chemin`."""
    chemin = Path(chemin)
    source = chemin.read_text(encoding="utf-8")
    litteraux = [t for jeton in Lexer(source).tokenize() for t in _litteraux_a_traduire(jeton)]
    return sorted(_textes_visibles(chemin, source) + litteraux)


def _textes_visibles(chemin, source):
    brut = texte_brut(source)
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


# Les appels et les arguments qui portent un texte montré à une personne.
_TRADUCTEURS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "format_lazy",
}
_MOTS_CLES_LUS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
_ATTRIBUTS_DE_CLASSE_LUS = {"verbose_name", "verbose_name_plural"}
_CLES_LUES = {"placeholder", "aria-label", "title"}
_MESSAGES = {"success", "info", "warning", "error"}
_REFUS = re.compile(
    r"(Refusee?s?|Impossible|Invalide|Illisible|NonPermise|PermissionDenied|ValidationError)$"
)


def _nom(noeud):
    if isinstance(noeud, ast.Name):
        return noeud.id
    if isinstance(noeud, ast.Attribute):
        return noeud.attr
    return ""


def _texte_en_dur(noeud):
    """Le texte écrit en dur (ni traduit ni calculé) que porte `noeud`, ou None."""
    if isinstance(noeud, ast.Constant) and isinstance(noeud.value, str):
        return noeud.value if _a_traduire(noeud.value) else None
    if isinstance(noeud, ast.JoinedStr):
        morceaux = [v.value for v in noeud.values if isinstance(v, ast.Constant)]
        texte = "…".join(str(m) for m in morceaux)
        return texte if _a_traduire(texte) else None
    if isinstance(noeud, ast.BinOp) and isinstance(noeud.op, (ast.Mod, ast.Add)):
        return _texte_en_dur(noeud.left) or _texte_en_dur(noeud.right)
    if isinstance(noeud, ast.Call) and _nom(noeud.func) == "format":
        return _texte_en_dur(noeud.func.value) if isinstance(noeud.func, ast.Attribute) else None
    return None


class _LecteurPython(ast.NodeVisitor):
    def __init__(self):
        self.trouves = []
        self._classes = []

    def _relever(self, noeud):
        texte = _texte_en_dur(noeud)
        if texte:
            self.trouves.append((noeud.lineno, " ".join(texte.split())))

    def visit_ClassDef(self, noeud):
        bases = {_nom(base) for base in noeud.bases}
        self._classes.append((noeud.name, bases))
        self.generic_visit(noeud)
        self._classes.pop()

    def visit_Assign(self, noeud):
        nom_classe, bases = self._classes[-1] if self._classes else ("", set())
        cibles = {_nom(cible) for cible in noeud.targets}
        if nom_classe == "Meta" and cibles & _ATTRIBUTS_DE_CLASSE_LUS:
            self._relever(noeud.value)
        elif nom_classe == "Meta" and cibles & {"labels", "help_texts"}:
            if isinstance(noeud.value, ast.Dict):
                for valeur in noeud.value.values:
                    self._relever(valeur)
        elif bases & {"TextChoices", "IntegerChoices", "Choices"}:
            if isinstance(noeud.value, ast.Tuple) and len(noeud.value.elts) >= 2:
                self._relever(noeud.value.elts[-1])
        self.generic_visit(noeud)

    def visit_Call(self, noeud):
        nom = _nom(noeud.func)
        if nom in _TRADUCTEURS:
            return
        for mot_cle in noeud.keywords:
            if mot_cle.arg in _MOTS_CLES_LUS:
                self._relever(mot_cle.value)
            elif mot_cle.arg == "choices" and isinstance(mot_cle.value, (ast.List, ast.Tuple)):
                for choix in mot_cle.value.elts:
                    if isinstance(choix, ast.Tuple) and len(choix.elts) == 2:
                        self._relever(choix.elts[1])
        if nom in _MESSAGES and _nom(getattr(noeud.func, "value", None)) == "messages":
            if len(noeud.args) >= 2:
                self._relever(noeud.args[1])
        elif nom == "add_error" and len(noeud.args) >= 2:
            self._relever(noeud.args[1])
        elif _REFUS.search(nom) and noeud.args:
            self._relever(noeud.args[0])
        elif (
            nom.endswith("Field")
            and nom not in {"ForeignKey", "OneToOneField", "ManyToManyField"}
            and noeud.args
            and isinstance(noeud.func, ast.Attribute)
        ):
            # models.CharField("libellé", …) : le premier argument est le verbose_name.
            if _nom(noeud.func.value) == "models":
                self._relever(noeud.args[0])
        self.generic_visit(noeud)

    def visit_Dict(self, noeud):
        for cle, valeur in zip(noeud.keys, noeud.values, strict=True):
            if isinstance(cle, ast.Constant) and cle.value in _CLES_LUES:
                self._relever(valeur)
        self.generic_visit(noeud)


def textes_python_non_traduits(chemin):
    """[(ligne, texte)] des libellés, messages et refus écrits en dur dans le module `chemin`."""
    lecteur = _LecteurPython()
    lecteur.visit(ast.parse(Path(chemin).read_text(encoding="utf-8")))
    return lecteur.trouves


def _chaine_po(lignes):
    return "".join(ast.literal_eval(ligne) for ligne in lignes)


def lire_po(chemin):
    """Les entrées d'un fichier .po : [{"msgctxt", "msgid", "msgid_plural", "msgstr": [..],
    "fuzzy"}]."""
    entrees, courante, champ = [], None, None

    def fermer():
        if courante is not None:
            entrees.append(
                {
                    "msgctxt": _chaine_po(courante.get("msgctxt", [])),
                    "msgid": _chaine_po(courante.get("msgid", [])),
                    "msgid_plural": _chaine_po(courante.get("msgid_plural", [])),
                    "msgstr": [
                        _chaine_po(courante[cle])
                        for cle in sorted(k for k in courante if k.startswith("msgstr"))
                    ],
                    "fuzzy": courante.get("fuzzy", False),
                    "obsolete": courante.get("obsolete", False),
                }
            )

    for ligne in Path(chemin).read_text(encoding="utf-8").splitlines():
        ligne = ligne.strip()
        obsolete = ligne.startswith("#~")
        if obsolete:
            ligne = ligne[2:].strip()
        if ligne.startswith("#,") and "fuzzy" in ligne:
            fermer()
            courante, champ = {"fuzzy": True}, None
        elif ligne.startswith("msgctxt "):
            if courante is None or "msgid" in courante:
                fermer()
                courante = {}
            champ = "msgctxt"
            courante[champ] = [ligne[len("msgctxt ") :]]
        elif ligne.startswith("msgid "):
            if courante is None or "msgid" in courante:
                fermer()
                courante = {}
            courante["obsolete"] = obsolete
            champ = "msgid"
            courante[champ] = [ligne[len("msgid ") :]]
        elif ligne.startswith(("msgid_plural ", "msgstr")):
            champ, _, valeur = ligne.partition(" ")
            champ = champ.replace("[", "_").replace("]", "")
            courante[champ] = [valeur]
        elif ligne.startswith('"') and champ:
            courante[champ].append(ligne)
        elif not ligne:
            champ = None
    fermer()
    return [e for e in entrees if e["msgid"] and not e["obsolete"]]


def gabarits(racine):
    racine = Path(racine)
    if racine.is_file():
        return [racine]
    return sorted(p for p in racine.rglob("*") if p.suffix in {".html", ".txt", ".py"})


def main(arguments):
    total = 0
    for racine in arguments or ["templates"]:
        for chemin in gabarits(racine):
            if "migrations" in chemin.parts:
                continue
            lire = textes_python_non_traduits if chemin.suffix == ".py" else textes_non_traduits
            for ligne, texte in lire(chemin):
                total += 1
                print(f"{chemin}:{ligne}: {texte}")
    print(f"{total} texte(s) à marquer pour la traduction", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
