"""Le bilan tel qu'un observateur le reçoit (`presenter(..., masquer=True)`), sur des cohortes
tirées au hasard, personne par personne, sans base : le lecteur de tests/activite/attaquant.py
lit la page (chiffres, barres des graphiques, tableau par structure) et résout toutes les
relations qu'il connaît entre ces nombres ; aucune cellule de 1 à 4 personnes, affichée ou
non, ni aucune cellule masquée ne doit en sortir."""

from hypothesis import given, settings
from hypothesis import strategies as st

from activite.bilan import Bilan, Sommes
from activite.enums import Genre, StatutParticipation
from activite.presentation import presenter
from tests.activite.attaquant import cellules_retrouvables, relation

MASQUE, MASQUE_SECONDAIRE, NON_DIFFUSE = "< 5", "masqué", "non diffusé"
MARQUES = {MASQUE, MASQUE_SECONDAIRE, NON_DIFFUSE}
AGES = [25, 40, 50, 65, 80]  # un âge par tranche du graphique ; 5 : âge non renseigné
COHORTE = "C"
STATUTS = [StatutParticipation.EN_COURS, StatutParticipation.COMPLET, StatutParticipation.ABANDON]

# Ce que le lecteur sait : les relations entre les nombres du bilan, ligne par ligne.
COLONNES = [
    "referents", "attente", "B", "EP", "HP", "F", "H", "X", "NR", "R",
    "A", "ageNR", "complet", "abandon", "termines", "en_cours", "participations", "surplus",
]  # fmt: skip


def _relations_d_une_ligne(ligne):
    def c(nom):
        return (ligne, nom)

    relations = [
        relation(c("B"), c("EP"), c("HP")),
        relation(c("B"), c("F"), c("H"), c("X"), c("NR")),
        relation(c("R"), c("F"), c("H"), c("X")),
        relation(c("B"), c("A"), c("ageNR")),
        relation(c("termines"), c("complet"), c("abandon")),
        relation(c("participations"), c("en_cours"), c("termines")),
        # Le lecteur devine qu'une personne en parcours en suit un seul : le surplus de
        # participations est compté comme connu (voir _ce_que_voit_le_lecteur).
        relation(c("participations"), c("EP"), c("surplus")),
    ]
    if ligne == COHORTE:
        relations.append(relation(c("A"), *(c(f"t{rang}") for rang in range(5))))
    return relations


_PERSONNE = st.tuples(
    st.sampled_from(Genre.values),
    st.integers(0, 5),  # tranche d'âge, 5 : non renseigné
    st.lists(st.sampled_from(STATUTS), max_size=2),  # ses participations aux parcours
)
_STRUCTURE = st.tuples(
    st.sampled_from([0, 0, 1, 3, 5, 6]),  # référents formés
    st.sampled_from([0, 0, 2, 5, 8]),  # liste d'attente
    st.lists(_PERSONNE, max_size=8),
)


def _sommes(referents, attente, personnes):
    s = Sommes(structures=1, referents_formes=referents, liste_attente=attente)
    for genre, tranche, statuts in personnes:
        s.beneficiaires += 1
        s.beneficiaires_en_parcours += bool(statuts)
        s.genres[genre] += 1
        if tranche < 5:
            s.avec_age += 1
            s.somme_ages += AGES[tranche]
            s.tranches_age[tranche] += 1
        for statut in statuts:
            s.statuts_parcours[statut] += 1
    s.femmes, s.hommes = s.genres[Genre.FEMME], s.genres[Genre.HOMME]
    s.genres_renseignes = s.femmes + s.hommes + s.genres[Genre.AUTRE]
    s.parcours_complets = s.statuts_parcours[StatutParticipation.COMPLET]
    s.parcours_termines = s.parcours_complets + s.statuts_parcours[StatutParticipation.ABANDON]
    return s


def _bilan(structures):
    par_pk = {pk: _sommes(*structure) for pk, structure in enumerate(structures, start=1)}
    total = Sommes()
    for s in par_pk.values():
        total.ajouter(s)
    return Bilan(
        appel=None,
        cohorte=total.chiffres(),
        par_structure=[
            {"pk": pk, "structure": f"S{pk}", "siret": "", **s.chiffres()}
            for pk, s in par_pk.items()
        ],
        sommes=total,
        sommes_par_structure=par_pk,
        seances_par_mois=[],
    )


def _vraies_valeurs(bilan):
    valeurs = {}
    lignes = [(COHORTE, bilan.sommes), *bilan.sommes_par_structure.items()]
    for ligne, s in lignes:
        participations = sum(s.statuts_parcours.values())
        valeurs.update(
            {
                (ligne, "referents"): s.referents_formes,
                (ligne, "attente"): s.liste_attente,
                (ligne, "B"): s.beneficiaires,
                (ligne, "EP"): s.beneficiaires_en_parcours,
                (ligne, "HP"): s.beneficiaires - s.beneficiaires_en_parcours,
                (ligne, "F"): s.genres[Genre.FEMME],
                (ligne, "H"): s.genres[Genre.HOMME],
                (ligne, "X"): s.genres[Genre.AUTRE],
                (ligne, "NR"): s.genres[Genre.NON_RENSEIGNE],
                (ligne, "R"): s.genres_renseignes,
                (ligne, "A"): s.avec_age,
                (ligne, "ageNR"): s.beneficiaires - s.avec_age,
                (ligne, "complet"): s.statuts_parcours[StatutParticipation.COMPLET],
                (ligne, "abandon"): s.statuts_parcours[StatutParticipation.ABANDON],
                (ligne, "termines"): s.parcours_termines,
                (ligne, "en_cours"): s.statuts_parcours[StatutParticipation.EN_COURS],
                (ligne, "participations"): participations,
                (ligne, "surplus"): participations - s.beneficiaires_en_parcours,
            }
        )
    for rang, nombre in enumerate(bilan.sommes.tranches_age):
        valeurs[COHORTE, f"t{rang}"] = nombre
    return valeurs


def _nombre_lu(texte):
    return int(str(texte).replace("\u202f", ""))


def _ce_que_voit_le_lecteur(vue, valeurs, plafond):
    """(domaines, cellules affichées en nombre, cellules masquées) d'après la vue."""
    domaines = {cle: (0, plafond) for cle in valeurs}
    affichees, masquees = {}, []

    def compte(cle, affichage):
        if affichage == MASQUE:
            domaines[cle] = (1, 4)
            masquees.append(cle)
        elif affichage == MASQUE_SECONDAIRE:
            domaines[cle] = (5, plafond)
            masquees.append(cle)
        elif affichage != NON_DIFFUSE:
            domaines[cle] = (_nombre_lu(affichage),) * 2
            affichees[cle] = _nombre_lu(affichage)

    def taux(numerateur, denominateur, affichage):
        # Un pourcentage affiché laisse retrouver son numérateur et son dénominateur.
        if affichage is None:
            domaines[denominateur] = (0, 0)
        elif affichage == MASQUE:  # « calculé sur moins de 5 personnes »
            domaines[denominateur] = (1, 4)
        elif affichage not in MARQUES:
            domaines[numerateur] = (valeurs[numerateur],) * 2
            domaines[denominateur] = (valeurs[denominateur],) * 2

    def ligne_du_tableau(ligne, lues):
        for colonne, nom in [
            ("referents_formes", "referents"),
            ("beneficiaires", "B"),
            ("beneficiaires_en_parcours", "EP"),
            ("liste_attente", "attente"),
        ]:
            compte((ligne, nom), lues[colonne])
        taux((ligne, "F"), (ligne, "R"), lues["femmes_pct"])
        taux((ligne, "H"), (ligne, "R"), lues["hommes_pct"])
        taux((ligne, "complet"), (ligne, "termines"), lues["parcours_complets_pct"])
        age = lues["age_moyen"]
        if age is None:
            domaines[ligne, "A"] = (0, 0)
        elif age in (MASQUE, MASQUE_SECONDAIRE):
            domaines[ligne, "A"] = (1, 4)
        elif age != NON_DIFFUSE:
            domaines[ligne, "A"] = (5, plafond)

    ligne_du_tableau(COHORTE, vue["valeurs"])
    for ligne in vue["lignes"]:
        ligne_du_tableau(ligne["pk"], ligne["valeurs"])
    barres = {
        "graphique_genres": ["F", "H", "X", "NR"],
        "graphique_ages": ["t0", "t1", "t2", "t3", "t4", "ageNR"],
        "graphique_parcours": ["en_cours", "complet", "abandon"],
    }
    for graphique, noms in barres.items():
        for barre, nom in zip(vue[graphique]["barres"], noms, strict=True):
            compte((COHORTE, nom), barre.valeur)
            if barre.valeur in MARQUES:
                assert barre.largeur == 0, (graphique, barre)
    for cle in valeurs:
        if cle[1] == "surplus":
            domaines[cle] = (valeurs[cle],) * 2
    return domaines, affichees, masquees


@settings(max_examples=60, deadline=None)
@given(structures=st.lists(_STRUCTURE, min_size=1, max_size=3))
def test_la_page_de_l_observateur_ne_laisse_rien_retrouver(structures):
    bilan = _bilan(structures)
    valeurs = _vraies_valeurs(bilan)
    plafond = 4 * valeurs[COHORTE, "B"] + 2 * valeurs[COHORTE, "participations"] + 20
    relations = [
        r for ligne in [COHORTE, *bilan.sommes_par_structure] for r in _relations_d_une_ligne(ligne)
    ]
    relations += [
        relation((COHORTE, nom), *((pk, nom) for pk in bilan.sommes_par_structure))
        for nom in COLONNES
    ]

    vue = presenter(bilan, masquer=True)
    domaines, affichees, masquees = _ce_que_voit_le_lecteur(vue, valeurs, plafond)

    # Ce qui s'affiche en nombre est exact, et un vrai zéro s'affiche 0.
    assert affichees == {cle: valeurs[cle] for cle in affichees}
    zeros = [cle for cle in affichees.keys() | set(masquees) if valeurs[cle] == 0]
    assert [cle for cle in zeros if cle not in affichees] == []
    # Rien de ce qui compte moins de 5 personnes, ni rien de masqué, ne se retrouve.
    a_proteger = [cle for cle, valeur in valeurs.items() if 0 < valeur < 5 and cle[1] != "surplus"]
    a_proteger += [cle for cle in masquees if cle not in a_proteger]
    assert cellules_retrouvables(domaines, relations, valeurs, a_proteger) == []
