"""Le bilan mis en forme pour la page, le PDF, le tableur et la ligne de commande : libellés,
secret statistique pour les observateurs, géométrie des graphiques SVG dessinés côté serveur.

Secret statistique : pour un observateur, tout nombre de personnes inférieur à 5 s'affiche
« < 5 », et tout pourcentage ou moyenne calculé sur moins de 5 personnes aussi (sinon il
trahirait le petit nombre). Les comptes de séances ne concernent personne : ils restent.
"""

from dataclasses import dataclass

from activite.bilan import TRANCHES_AGE
from activite.enums import Genre, StatutParticipation, TypeAction

SEUIL_SECRET = 5
MASQUE = "< 5"

LIBELLES = {
    "structures": "Structures accompagnées",
    "referents_formes": "Référents formés",
    "actions": "Actions menées",
    "ateliers_permanences": "Ateliers et permanences",
    "parcours": "Parcours d'initiation",
    "heures_ordinateur": "Durée moyenne d'un parcours ordinateur (h)",
    "heures_tablette": "Durée moyenne d'un parcours tablette (h)",
    "beneficiaires": "Personnes accompagnées",
    "beneficiaires_en_parcours": "dont en parcours",
    "femmes_pct": "Femmes (%)",
    "hommes_pct": "Hommes (%)",
    "age_moyen": "Âge moyen",
    "parcours_complets_pct": "Parcours suivis jusqu'au bout (%)",
    "liste_attente": "Liste d'attente",
}
COLONNES_TABLEAU = [
    "referents_formes",
    "actions",
    "ateliers_permanences",
    "parcours",
    "heures_ordinateur",
    "heures_tablette",
    "beneficiaires",
    "beneficiaires_en_parcours",
    "femmes_pct",
    "hommes_pct",
    "age_moyen",
    "parcours_complets_pct",
    "liste_attente",
]
# Les cellules qui comptent des personnes, et le dénominateur (en personnes) des autres.
COMPTES_DE_PERSONNES = {"referents_formes", "beneficiaires", "beneficiaires_en_parcours"}
COULEURS_TYPES = {
    TypeAction.ATELIER: "#1d4e89",
    TypeAction.PERMANENCE: "#4a90c2",
    TypeAction.PARCOURS_ORDINATEUR: "#b3541e",
    TypeAction.PARCOURS_TABLETTE: "#e0a040",
}


def _nombre(valeur):
    """61.1 → « 61,1 », 12.0 → « 12 », None → « — »."""
    if valeur is None:
        return "—"
    if isinstance(valeur, float):
        texte = f"{valeur:.1f}".rstrip("0").rstrip(".")
        return texte.replace(".", ",")
    return f"{valeur:,}".replace(",", "\u202f")


def _denominateurs(sommes):
    return {
        "femmes_pct": sommes.genres_renseignes,
        "hommes_pct": sommes.genres_renseignes,
        "age_moyen": sommes.avec_age,
        "parcours_complets_pct": sommes.parcours_termines,
        "liste_attente": None,
    }


def valeurs_affichees(chiffres, sommes, *, masquer):
    """{clé: valeur brute ou « < 5 »} pour les colonnes du tableau."""
    denominateurs = _denominateurs(sommes)
    sortie = {}
    for cle in COLONNES_TABLEAU:
        if cle == "heures_ordinateur":
            valeur = chiffres["parcours_heures_moyennes"]["ordinateur"]
        elif cle == "heures_tablette":
            valeur = chiffres["parcours_heures_moyennes"]["tablette"]
        else:
            valeur = chiffres[cle]
        if masquer:
            if cle in COMPTES_DE_PERSONNES or cle == "liste_attente":
                if valeur < SEUIL_SECRET:
                    valeur = MASQUE
            elif cle in denominateurs and valeur is not None:
                if denominateurs[cle] < SEUIL_SECRET:
                    valeur = MASQUE
        sortie[cle] = valeur
    return sortie


def texte(valeur):
    return valeur if isinstance(valeur, str) else _nombre(valeur)


@dataclass
class Barre:
    libelle: str
    valeur: str  # affichée
    x: float
    y: float
    largeur: float
    hauteur: float
    couleur: str


def _barres_horizontales(elements, *, masquer, couleur="#1d4e89"):
    """[(libellé, nombre)] → barres d'un graphique horizontal de 100 unités de large."""
    maximum = max([n for _l, n in elements] + [1])
    barres = []
    for rang, (libelle, nombre) in enumerate(elements):
        cache = masquer and nombre < SEUIL_SECRET
        largeur = 0 if cache else round(260 * nombre / maximum, 1)
        barres.append(
            Barre(
                libelle=libelle,
                valeur=MASQUE if cache else _nombre(nombre),
                x=150,
                y=10 + rang * 34,
                largeur=largeur,
                hauteur=24,
                couleur=couleur,
            )
        )
    return {"barres": barres, "hauteur": 20 + 34 * len(elements)}


def graphique_seances(seances_par_mois):
    """Barres empilées par mois (ateliers, permanences, parcours ordinateur, tablette)."""
    mois = []
    maximum = max([sum(types.values()) for _m, types in seances_par_mois] + [1])
    largeur_colonne = 26 if len(seances_par_mois) < 20 else 14
    for rang, (debut, types) in enumerate(seances_par_mois):
        x = 40 + rang * (largeur_colonne + 6)
        y = 180
        segments = []
        for type_action in TypeAction.values:
            nombre = types.get(type_action, 0)
            if not nombre:
                continue
            hauteur = round(160 * nombre / maximum, 1)
            y -= hauteur
            segments.append(
                {
                    "y": round(y, 1),
                    "hauteur": hauteur,
                    "couleur": COULEURS_TYPES[type_action],
                    "titre": f"{TypeAction(type_action).label} : {nombre}",
                }
            )
        mois.append(
            {
                "x": x,
                "largeur": largeur_colonne,
                "segments": segments,
                "total": sum(types.values()),
                "etiquette": f"{debut:%m/%y}",
                "par_type": [types.get(t, 0) for t in TypeAction.values],
                "detail": ", ".join(
                    f"{TypeAction(t).label.lower()} {n}" for t, n in types.items() if n
                ),
            }
        )
    return {
        "mois": mois,
        "largeur": 60 + len(mois) * (largeur_colonne + 6),
        "legende": [(TypeAction(t).label, c) for t, c in COULEURS_TYPES.items()],
    }


def presenter(bilan, *, masquer):
    """Tout ce que la page, le PDF et le tableur affichent, déjà masqué s'il le faut."""
    cohorte = valeurs_affichees(bilan.cohorte, bilan.sommes, masquer=masquer)
    cohorte_structures = bilan.cohorte["structures"]
    lignes = []
    for ligne in bilan.par_structure:
        sommes = bilan.sommes_par_structure[ligne["pk"]]
        valeurs = valeurs_affichees(ligne, sommes, masquer=masquer)
        lignes.append(
            {
                "pk": ligne["pk"],
                "structure": ligne["structure"],
                "siret": ligne["siret"],
                "valeurs": valeurs,
                "cellules": [texte(valeurs[c]) for c in COLONNES_TABLEAU],
            }
        )
    s = bilan.sommes
    genres = [(Genre(g).label, s.genres[g]) for g in Genre.values]
    ages = [(libelle, n) for (libelle, _a, _b), n in zip(TRANCHES_AGE, s.tranches_age, strict=True)]
    ages.append(("Âge non renseigné", s.beneficiaires - s.avec_age))
    statuts = [
        (StatutParticipation(statut).label, nombre) for statut, nombre in s.statuts_parcours.items()
    ]
    return {
        "structures": cohorte_structures,
        "chiffres": [(LIBELLES[c], texte(cohorte[c])) for c in COLONNES_TABLEAU],
        "valeurs": cohorte,
        "entetes": [LIBELLES[c] for c in COLONNES_TABLEAU],
        "lignes": lignes,
        "graphique_genres": _barres_horizontales(genres, masquer=masquer),
        "graphique_ages": _barres_horizontales(ages, masquer=masquer, couleur="#4a6b2a"),
        "graphique_parcours": _barres_horizontales(statuts, masquer=masquer, couleur="#b3541e"),
        "graphique_seances": graphique_seances(bilan.seances_par_mois),
        "masque": masquer,
        "calcule_le": bilan.calcule_le,
    }


def lignes_texte(bilan):
    """Le bilan en texte, pour la ligne de commande (sans masquage : réservé à l'exploitant)."""
    chiffres = valeurs_affichees(bilan.cohorte, bilan.sommes, masquer=False)
    lignes = [f"Bilan — {bilan.appel.titre}", ""]
    lignes.append(f"{LIBELLES['structures']:<48} {bilan.cohorte['structures']}")
    for cle in COLONNES_TABLEAU:
        lignes.append(f"{LIBELLES[cle]:<48} {texte(chiffres[cle])}")
    for ligne in bilan.par_structure:
        lignes += ["", f"{ligne['structure']} (SIRET {ligne['siret']})"]
        valeurs = valeurs_affichees(ligne, bilan.sommes_par_structure[ligne["pk"]], masquer=False)
        for cle in COLONNES_TABLEAU:
            lignes.append(f"  {LIBELLES[cle]:<46} {texte(valeurs[cle])}")
    return lignes
