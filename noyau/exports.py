"""Ce que tout export tableur (CSV, XLSX) fait d'un texte saisi par quelqu'un d'autre."""

from django.utils.functional import Promise

# Un tableur lit comme une formule une cellule qui commence par l'un de ces caractères ; une
# tabulation ou un retour chariot en tête suffit à certains pour sauter au caractère suivant.
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def cellule_sure(valeur):
    """Le texte tel quel, préfixé d'une apostrophe s'il pourrait être pris pour une formule
    (`=cmd|' /C calc'!A0` → `'=cmd|' /C calc'!A0`). Les nombres, dates et None passent
    inchangés : seul un texte peut porter une formule injectée. Un libellé traduit (différé)
    devient son texte dans la langue active : un tableur ne sait pas le lire autrement."""
    if isinstance(valeur, Promise):
        valeur = str(valeur)
    if isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE):
        return "'" + valeur
    return valeur
