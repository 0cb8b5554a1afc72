"""Le bilan mis en forme pour la page, le PDF, le tableur et la ligne de commande : libellés,
secret statistique pour les observateurs, géométrie des graphiques SVG dessinés côté serveur.

Secret statistique (`activite.secret_statistique`) : pour un observateur, les comptes de
personnes du bilan forment un tableau (par structure et pour la cohorte) et ses relations
additives ; un compte de 1 à 4 s'affiche « < 5 », ce qui permettrait de le retrouver par
soustraction s'affiche « masqué », un vrai zéro s'affiche 0. Un pourcentage ne s'affiche que si
son numérateur et son dénominateur s'afficheraient (sinon il les laisserait retrouver) ; une
moyenne d'âge que sur au moins 5 personnes. Les comptes d'actions et leurs durées ne
concernent personne : ils restent.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from activite import secret_statistique
from activite.bilan import DUREE_EN_CACHE, TRANCHES_AGE, bilan_a_jour, cle_du_bilan
from activite.enums import Genre, StatutParticipation, TypeAction
from activite.secret_statistique import SEUIL, Etat, Relation, Visibilite, proteger

MASQUE = "< 5"
MASQUE_SECONDAIRE = "masqué"
NON_DIFFUSE = "non diffusé"
MARQUES = {MASQUE, MASQUE_SECONDAIRE, NON_DIFFUSE}
_MARQUE_DE = {
    Etat.SOUS_LE_SEUIL: MASQUE,
    Etat.MASQUEE: MASQUE_SECONDAIRE,
    Etat.NON_DIFFUSEE: NON_DIFFUSE,
}
COHORTE = "cohorte"
# Les marques restent en français dans les calculs ; elles se traduisent à l'affichage.
_MARQUES_AFFICHEES = {
    MASQUE: MASQUE,
    MASQUE_SECONDAIRE: _("masqué"),
    NON_DIFFUSE: _("non diffusé"),
}

LIBELLES = {
    "structures": _("Structures accompagnées"),
    "referents_formes": _("Référents formés"),
    "actions": _("Actions menées"),
    "ateliers_permanences": _("Ateliers et permanences"),
    "parcours": _("Parcours d'initiation"),
    "heures_ordinateur": _("Durée moyenne d'un parcours ordinateur (h)"),
    "heures_tablette": _("Durée moyenne d'un parcours tablette (h)"),
    "beneficiaires": _("Personnes accompagnées"),
    "beneficiaires_en_parcours": _("dont en parcours"),
    "femmes_pct": _("Femmes (%)"),
    "hommes_pct": _("Hommes (%)"),
    "age_moyen": _("Âge moyen"),
    "parcours_complets_pct": _("Parcours suivis jusqu'au bout (%)"),
    "liste_attente": _("Liste d'attente"),
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
# Les colonnes qui comptent des personnes : leur cellule dans le tableau des comptes.
COMPTES_AFFICHES = {
    "referents_formes": "referents",
    "beneficiaires": "personnes",
    "beneficiaires_en_parcours": "en_parcours",
    "liste_attente": "liste_attente",
}
# Les pourcentages : (numérateur, dénominateur) dans le tableau des comptes.
TAUX = {
    "femmes_pct": ("femmes", "genre_dit"),
    "hommes_pct": ("hommes", "genre_dit"),
    "parcours_complets_pct": ("complets", "termines"),
}
COULEURS_TYPES = {
    TypeAction.ATELIER: "#1d4e89",
    TypeAction.PERMANENCE: "#4a90c2",
    TypeAction.PARCOURS_ORDINATEUR: "#b3541e",
    TypeAction.PARCOURS_TABLETTE: "#e0a040",
}


def _nombre(valeur):
    """61.1 → « 61,1 » (« 61.1 » en anglais), 12.0 → « 12 », 1234 → « 1 234 » (« 1,234 »),
    None → « — » : dans la langue de la personne qui lit."""
    if valeur is None:
        return "—"
    if isinstance(valeur, float):
        arrondi = round(valeur, 1)
        if arrondi != int(arrondi):
            return number_format(arrondi, decimal_pos=1, force_grouping=True)
        valeur = int(arrondi)
    return number_format(valeur, force_grouping=True)


def tableau_des_comptes(bilan):
    """Les comptes de personnes du bilan, par structure et pour la cohorte, en tableau pour
    `secret_statistique.proteger` : (valeurs, visibilités, relations), les clés étant
    (ligne, colonne), la ligne valant COHORTE ou le pk d'une structure.

    Ce que les sorties en montrent (les visibilités) : les comptes des colonnes, les
    numérateurs et dénominateurs des pourcentages (qui les laissent retrouver), les barres
    des graphiques de la cohorte ; la tranche seule (0, moins de 5, au moins 5) du nombre de
    personnes d'âge connu, par la moyenne d'âge affichée ou non ; rien des autres, que les
    relations lient pourtant aux premiers. Le lecteur est aussi censé deviner qu'une personne
    en parcours en suit un seul (« 136 en parcours, 100 complets, 34 abandons : 2 en cours ») :
    le surplus de participations sur les personnes est compté comme connu.

    Les tranches d'âge par structure ne s'affichent pas et ne sont liées qu'aux personnes
    d'âge connu de chaque structure et aux tranches de la cohorte : n'importe quels nombres
    positifs de même total s'y accordent, elles n'apprennent rien et restent hors du tableau.
    """
    valeurs, visibilites, relations = {}, {}, []
    lignes = [(COHORTE, bilan.sommes)] + [
        (ligne["pk"], bilan.sommes_par_structure[ligne["pk"]]) for ligne in bilan.par_structure
    ]
    surplus_connu = all(
        sum(s.statuts_parcours.values()) >= s.beneficiaires_en_parcours for _l, s in lignes
    )
    for ligne, s in lignes:
        affichees = {
            "referents": s.referents_formes,
            "liste_attente": s.liste_attente,
            "personnes": s.beneficiaires,
            "en_parcours": s.beneficiaires_en_parcours,
            "genre_dit": s.genres_renseignes,
            "femmes": s.genres[Genre.FEMME],
            "hommes": s.genres[Genre.HOMME],
            "complets": s.statuts_parcours[StatutParticipation.COMPLET],
            "termines": s.parcours_termines,
        }
        # Ce que seuls les graphiques de la cohorte montrent.
        graphiques = {
            "autre": s.genres[Genre.AUTRE],
            "genre_non_dit": s.genres[Genre.NON_RENSEIGNE],
            "age_non_dit": s.beneficiaires - s.avec_age,
            "en_cours": s.statuts_parcours[StatutParticipation.EN_COURS],
            "abandons": s.statuts_parcours[StatutParticipation.ABANDON],
        }
        participations = sum(s.statuts_parcours.values())
        cachees = {
            "hors_parcours": s.beneficiaires - s.beneficiaires_en_parcours,
            "participations": participations,
        }
        for nom, nombre in affichees.items():
            valeurs[ligne, nom] = nombre
            visibilites[ligne, nom] = Visibilite.AFFICHEE
        for nom, nombre in graphiques.items():
            valeurs[ligne, nom] = nombre
            visibilites[ligne, nom] = Visibilite.AFFICHEE if ligne == COHORTE else Visibilite.CACHEE
        for nom, nombre in cachees.items():
            valeurs[ligne, nom] = nombre
            visibilites[ligne, nom] = Visibilite.CACHEE
        valeurs[ligne, "avec_age"] = s.avec_age
        visibilites[ligne, "avec_age"] = Visibilite.TRANCHE

        def relation(total, *parties, ligne=ligne):
            relations.append(Relation((ligne, total), tuple((ligne, p) for p in parties)))

        relation("personnes", "en_parcours", "hors_parcours")
        relation("personnes", "genre_dit", "genre_non_dit")
        relation("genre_dit", "femmes", "hommes", "autre")
        relation("personnes", "avec_age", "age_non_dit")
        relation("termines", "complets", "abandons")
        relation("participations", "en_cours", "termines")
        if surplus_connu:
            valeurs[ligne, "surplus"] = participations - s.beneficiaires_en_parcours
            visibilites[ligne, "surplus"] = Visibilite.SUPPOSEE
            relation("participations", "en_parcours", "surplus")
        if ligne == COHORTE:
            for rang, nombre in enumerate(s.tranches_age):
                valeurs[ligne, f"tranche_{rang}"] = nombre
                visibilites[ligne, f"tranche_{rang}"] = Visibilite.AFFICHEE
            relation("avec_age", *(f"tranche_{rang}" for rang in range(len(TRANCHES_AGE))))
    colonnes = [nom for ligne, nom in valeurs if ligne == COHORTE and not nom.startswith("tranche")]
    structures = [ligne for ligne, _s in lignes[1:]]
    if structures:
        for nom in colonnes:
            relations.append(Relation((COHORTE, nom), tuple((pk, nom) for pk in structures)))
    return valeurs, visibilites, relations


# Le code du masquage entre dans la clé : un changement de calcul n'en sert jamais l'ancien.
_VERSION_DU_MASQUAGE = hashlib.sha256(Path(secret_statistique.__file__).read_bytes()).hexdigest()[
    :16
]


def etats_pour_observateur(bilan):
    """(valeurs, états) des comptes du bilan, après le secret statistique. Le masquage d'une
    cohorte de mille structures prend quelques secondes : il est gardé en cache sous
    l'empreinte du tableau (ses nombres et ses relations), qui change avec eux."""
    valeurs, visibilites, relations = tableau_des_comptes(bilan)
    empreinte = hashlib.sha256(
        repr((list(valeurs.items()), list(visibilites.values()), relations)).encode()
    ).hexdigest()
    cle = f"activite:secret:{_VERSION_DU_MASQUAGE}:{empreinte}"
    etats = cache.get(cle)
    if etats is None:
        etats = proteger(valeurs, visibilites, relations)
        cache.set(cle, etats, DUREE_EN_CACHE)
    return valeurs, etats


def _valeurs_exactes(chiffres):
    sortie = {}
    for cle in COLONNES_TABLEAU:
        if cle == "heures_ordinateur":
            sortie[cle] = chiffres["parcours_heures_moyennes"]["ordinateur"]
        elif cle == "heures_tablette":
            sortie[cle] = chiffres["parcours_heures_moyennes"]["tablette"]
        else:
            sortie[cle] = chiffres[cle]
    return sortie


def valeurs_affichees(chiffres, *, ligne=None, valeurs=None, etats=None):
    """{clé: valeur ou marque} pour les colonnes du tableau : exactes sans `etats`, sinon
    celles que le secret statistique laisse voir de cette ligne du tableau des comptes."""
    sortie = _valeurs_exactes(chiffres)
    if etats is None:
        return sortie

    def compte(nom):
        etat = etats[ligne, nom]
        return valeurs[ligne, nom] if etat == Etat.AFFICHEE else _MARQUE_DE[etat]

    for cle, nom in COMPTES_AFFICHES.items():
        sortie[cle] = compte(nom)
    for cle, (numerateur, denominateur) in TAUX.items():
        entrees = [etats[ligne, numerateur], etats[ligne, denominateur]]
        if Etat.NON_DIFFUSEE in entrees:
            sortie[cle] = NON_DIFFUSE
        elif entrees[1] == Etat.AFFICHEE and valeurs[ligne, denominateur] == 0:
            sortie[cle] = None
        elif entrees != [Etat.AFFICHEE, Etat.AFFICHEE]:
            sortie[cle] = MASQUE_SECONDAIRE
    # La moyenne d'âge ne laisse retrouver aucun compte : seule compte sa base de 5 personnes.
    if etats[ligne, "avec_age"] == Etat.NON_DIFFUSEE:
        sortie["age_moyen"] = NON_DIFFUSE
    elif 0 < valeurs[ligne, "avec_age"] < SEUIL:
        sortie["age_moyen"] = MASQUE_SECONDAIRE
    return sortie


def marque_affichee(valeur):
    """La marque du secret statistique (« masqué »…) dans la langue de la personne ; toute
    autre valeur telle quelle."""
    return str(_MARQUES_AFFICHEES[valeur]) if valeur in MARQUES else valeur


def texte(valeur):
    return marque_affichee(valeur) if isinstance(valeur, str) else _nombre(valeur)


@dataclass
class Barre:
    libelle: str
    valeur: str  # affichée
    x: float
    y: float
    largeur: float
    hauteur: float
    couleur: str


def _barres_horizontales(elements, *, couleur="#1d4e89"):
    """[(libellé, nombre, affichage)] → barres d'un graphique horizontal. Une barre masquée
    n'a ni longueur ni nombre, et l'échelle ne tient compte que des barres affichées (sinon
    leurs longueurs trahiraient la plus grande valeur masquée)."""
    maximum = max([n for _l, n, a in elements if a not in MARQUES] + [1])
    barres = []
    for rang, (libelle, nombre, affichage) in enumerate(elements):
        cache = affichage in MARQUES
        barres.append(
            Barre(
                libelle=libelle,
                valeur=marque_affichee(affichage) if cache else _nombre(nombre),
                x=150,
                y=10 + rang * 34,
                largeur=0 if cache else round(260 * nombre / maximum, 1),
                hauteur=24,
                couleur=couleur,
            )
        )
    return {"barres": barres, "hauteur": 20 + 34 * len(elements)}


# Le nombre écrit dans un segment : la couleur qui contraste (4,5:1 au moins) avec son fond.
COULEURS_TEXTE_TYPES = {
    TypeAction.ATELIER: "#ffffff",
    TypeAction.PERMANENCE: "#000000",
    TypeAction.PARCOURS_ORDINATEUR: "#ffffff",
    TypeAction.PARCOURS_TABLETTE: "#000000",
}
# Un nombre ne s'écrit dans son segment que s'il y tient (police de 10 dans le SVG).
HAUTEUR_MINIMALE_DU_NOMBRE = 12


def graphique_seances(seances_par_mois):
    """Barres empilées par mois (ateliers, permanences, parcours ordinateur, tablette), avec
    le total au-dessus de chaque barre, le nombre de chaque type dans son segment quand il y
    tient, et le même contenu en tableau (`tableau`) : c'est lui que lit un lecteur d'écran.

    Ce sont des comptes d'actions, pas de personnes : le secret statistique ne les touche pas.
    """
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
                    "titre": gettext("%(type)s : %(nombre)s")
                    % {"type": TypeAction(type_action).label, "nombre": nombre},
                    "valeur": _nombre(nombre),
                    "valeur_visible": hauteur >= HAUTEUR_MINIMALE_DU_NOMBRE,
                    "y_valeur": round(y + hauteur / 2 + 3.5, 1),
                    "couleur_valeur": COULEURS_TEXTE_TYPES[type_action],
                }
            )
        total = sum(types.values())
        mois.append(
            {
                "x": x,
                "x_centre": x + largeur_colonne / 2,
                "largeur": largeur_colonne,
                "segments": segments,
                "total": total,
                "y_total": round(y - 4, 1),
                "debut": debut,
                "etiquette": f"{debut:%m/%y}",
                "par_type": [types.get(t, 0) for t in TypeAction.values],
                "detail": ", ".join(
                    f"{TypeAction(t).label.lower()} {n}" for t, n in types.items() if n
                ),
            }
        )
    totaux = [sum(m["par_type"][rang] for m in mois) for rang in range(len(TypeAction.values))]
    return {
        "mois": mois,
        "largeur": 60 + len(mois) * (largeur_colonne + 6),
        "legende": [(str(TypeAction(t).label), c) for t, c in COULEURS_TYPES.items()],
        "types": [str(TypeAction(t).label) for t in TypeAction.values],
        "totaux": [_nombre(n) for n in totaux],
        "total": _nombre(sum(totaux)),
    }


def presenter(bilan, *, masquer, lignes=None):
    """Tout ce que la page, le PDF et le tableur affichent, déjà masqué s'il le faut.

    `lignes` (une tranche, `slice`) ne met en forme que ces lignes du tableau par structure,
    celles d'une page : le masquage, lui, se décide toujours sur la cohorte entière (une
    cellule de la page peut être masquée à cause d'une autre structure)."""
    valeurs = etats = None
    if masquer:
        valeurs, etats = etats_pour_observateur(bilan)
    cohorte = valeurs_affichees(bilan.cohorte, ligne=COHORTE, valeurs=valeurs, etats=etats)
    a_montrer = bilan.par_structure if lignes is None else bilan.par_structure[lignes]
    lignes = []
    for ligne in a_montrer:
        affichees = valeurs_affichees(ligne, ligne=ligne["pk"], valeurs=valeurs, etats=etats)
        lignes.append(
            {
                "pk": ligne["pk"],
                "structure": ligne["structure"],
                "siret": ligne["siret"],
                "valeurs": affichees,
                "cellules": [texte(affichees[c]) for c in COLONNES_TABLEAU],
            }
        )

    def barre(libelle, nom, nombre):
        if etats is None or etats[COHORTE, nom] == Etat.AFFICHEE:
            return libelle, nombre, nombre
        return libelle, nombre, _MARQUE_DE[etats[COHORTE, nom]]

    s = bilan.sommes
    noms_genres = {
        Genre.FEMME: "femmes",
        Genre.HOMME: "hommes",
        Genre.AUTRE: "autre",
        Genre.NON_RENSEIGNE: "genre_non_dit",
    }
    genres = [barre(str(Genre(g).label), noms_genres[g], s.genres[g]) for g in Genre.values]
    ages = [
        barre(str(libelle), f"tranche_{rang}", n)
        for rang, ((libelle, _a, _b), n) in enumerate(
            zip(TRANCHES_AGE, s.tranches_age, strict=True)
        )
    ]
    ages.append(barre(gettext("Âge non renseigné"), "age_non_dit", s.beneficiaires - s.avec_age))
    noms_statuts = {
        StatutParticipation.EN_COURS: "en_cours",
        StatutParticipation.COMPLET: "complets",
        StatutParticipation.ABANDON: "abandons",
    }
    statuts = [
        barre(str(StatutParticipation(statut).label), noms_statuts[statut], nombre)
        for statut, nombre in s.statuts_parcours.items()
    ]
    return {
        "structures": bilan.cohorte["structures"],
        "chiffres": [(str(LIBELLES[c]), texte(cohorte[c])) for c in COLONNES_TABLEAU],
        "valeurs": cohorte,
        "entetes": [str(LIBELLES[c]) for c in COLONNES_TABLEAU],
        "lignes": lignes,
        "graphique_genres": _barres_horizontales(genres),
        "graphique_ages": _barres_horizontales(ages, couleur="#4a6b2a"),
        "graphique_parcours": _barres_horizontales(statuts, couleur="#b3541e"),
        "graphique_seances": graphique_seances(bilan.seances_par_mois),
        "masque": masquer,
        "calcule_le": bilan.calcule_le,
    }


# Le code de la mise en forme et du masquage entre dans la clé d'une vue mise en cache.
_VERSION_DE_LA_PRESENTATION = hashlib.sha256(
    Path(__file__).read_bytes() + Path(secret_statistique.__file__).read_bytes()
).hexdigest()[:16]


def vue_du_bilan(appel, *, masquer, debut=0, fin=None, cle_du_calcul=None):
    """`presenter` pour les lignes [debut, fin) du tableau par structure (une page), gardé en
    cache ; `nombre_de_lignes` y donne le nombre de structures de tout le bilan.

    Mettre en forme les mille lignes d'une cohorte (treize mille nombres) et lui appliquer le
    secret statistique coûtait l'essentiel de la page et de l'API. La clé est celle du bilan,
    lue dans cette requête par `cle_du_bilan` (elle change avec toute écriture qui compte),
    suivie du public (détaillé ou masqué), de la langue et des lignes montrées : une vue
    rangée est exactement celle que `presenter` donnerait du bilan à jour. Une fenêtre hors
    du tableau n'est pas rangée (une adresse inventée ne remplit pas le cache). `cle` donne
    cette clé à la page, qui garde sous elle le HTML de ses tableaux et graphiques ;
    `cle_du_bilan`, celle du bilan, qu'une seconde lecture de la même requête (une autre page)
    reprend par `cle_du_calcul` au lieu de la relire."""
    cle_du_calcul = cle_du_calcul or cle_du_bilan(appel)
    public = "masque" if masquer else "detaille"
    cle = (
        f"activite:vue:{_VERSION_DE_LA_PRESENTATION}:{cle_du_calcul}:{public}:"
        f"{get_language()}:{debut}:{fin}"
    )
    vue = cache.get(cle)
    if vue is None:
        bilan = bilan_a_jour(appel, cle=cle_du_calcul)
        vue = presenter(bilan, masquer=masquer, lignes=slice(debut, fin))
        vue["nombre_de_lignes"] = len(bilan.par_structure)
        vue["cle"] = cle
        vue["cle_du_bilan"] = cle_du_calcul
        if debut == 0 or debut < vue["nombre_de_lignes"]:
            cache.set(cle, vue, DUREE_EN_CACHE)
    return vue


def lignes_texte(bilan):
    """Le bilan en texte, pour la ligne de commande (sans masquage : réservé à l'exploitant)."""
    chiffres = valeurs_affichees(bilan.cohorte)
    lignes = [f"Bilan — {bilan.appel.titre}", ""]
    lignes.append(f"{LIBELLES['structures']!s:<48} {bilan.cohorte['structures']}")
    for cle in COLONNES_TABLEAU:
        lignes.append(f"{LIBELLES[cle]!s:<48} {texte(chiffres[cle])}")
    for ligne in bilan.par_structure:
        lignes += ["", f"{ligne['structure']} (SIRET {ligne['siret']})"]
        valeurs = valeurs_affichees(ligne)
        for cle in COLONNES_TABLEAU:
            lignes.append(f"  {LIBELLES[cle]!s:<46} {texte(valeurs[cle])}")
    return lignes
