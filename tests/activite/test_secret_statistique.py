"""Le secret statistique d'un tableau de comptes (activite.secret_statistique), sans base :
des tableaux faits à la main, puis des tableaux au hasard que le lecteur de
tests/activite/attaquant.py essaie de percer en résolvant leurs relations."""

from hypothesis import given, settings
from hypothesis import strategies as st

from activite.secret_statistique import Etat, Relation, Visibilite, proteger
from tests.activite.attaquant import cellules_retrouvables

A = Visibilite.AFFICHEE
AFFICHEE, SOUS, MASQUEE, NON_DIFFUSEE, NON_PUBLIEE = (
    Etat.AFFICHEE,
    Etat.SOUS_LE_SEUIL,
    Etat.MASQUEE,
    Etat.NON_DIFFUSEE,
    Etat.NON_PUBLIEE,
)


def _vu_par_le_lecteur(valeurs, visibilites, etats, plafond):
    """Ce que le lecteur sait de chaque cellule, d'après ce qui s'affiche."""
    domaines = {}
    for cle, valeur in valeurs.items():
        if visibilites[cle] == Visibilite.SUPPOSEE or etats[cle] == AFFICHEE:
            domaines[cle] = (valeur, valeur)
        elif etats[cle] == SOUS:
            domaines[cle] = (1, 4)
        elif etats[cle] == MASQUEE:
            domaines[cle] = (5, plafond)
        else:
            domaines[cle] = (0, plafond)
    return domaines


def _en_membres(relations):
    return [[(r.total, -1)] + [(p, 1) for p in r.parties] for r in relations]


def _verifier(valeurs, visibilites, relations):
    """Le masquage de ce tableau, et ce qu'il doit garantir ; renvoie les états."""
    etats = proteger(valeurs, visibilites, relations)
    plafond = 2 * sum(valeurs.values()) + 10
    for cle, valeur in valeurs.items():
        montree = visibilites[cle] in (Visibilite.AFFICHEE, Visibilite.TRANCHE)
        if montree and 0 < valeur < 5:
            assert etats[cle] in (SOUS, NON_DIFFUSEE), cle
        if montree and valeur == 0:
            assert etats[cle] in (AFFICHEE, NON_DIFFUSEE), cle
        if etats[cle] == MASQUEE:
            assert valeur >= 5, cle
    a_proteger = [
        cle
        for cle, valeur in valeurs.items()
        if visibilites[cle] != Visibilite.SUPPOSEE
        and (0 < valeur < 5 or (etats[cle] == MASQUEE and visibilites[cle] == A))
    ]
    domaines = _vu_par_le_lecteur(valeurs, visibilites, etats, plafond)
    assert cellules_retrouvables(domaines, _en_membres(relations), valeurs, a_proteger) == []
    return etats


def _tableau_croise(lignes, visibilite=None):
    """Un tableau à double entrée et ses marges : clés (ligne, colonne), « T » pour total."""
    valeurs, relations = {}, []
    colonnes = range(len(lignes[0]))
    for r, ligne in enumerate(lignes):
        for c, valeur in enumerate(ligne):
            valeurs[r, c] = valeur
        valeurs[r, "T"] = sum(ligne)
        relations.append(Relation((r, "T"), tuple((r, c) for c in colonnes)))
    for c in [*colonnes, "T"]:
        valeurs["T", c] = sum(valeurs[r, c] for r in range(len(lignes)))
        relations.append(Relation(("T", c), tuple((r, c) for r in range(len(lignes)))))
    visibilites = {cle: (visibilite or {}).get(cle, A) for cle in valeurs}
    return valeurs, visibilites, relations


def test_en_cours_retrouve_par_soustraction_est_protege_au_moindre_cout():
    """136 en parcours, 100 complets, 34 abandons : « en cours < 5 » vaudrait 2 (le lecteur
    suppose une personne par parcours). Masquer les 136 coûte moins que masquer les
    abandons et les parcours terminés qui les redonneraient (34 + 134) : seul 136 est masqué.
    (Sur la page du bilan, masquer 136 obligerait aussi à masquer la structure qui les compte
    et ses totaux : ce sont les abandons qui le sont, voir test_bilan_observateur.py.)"""
    valeurs = {
        "en_parcours": 136,
        "participations": 136,
        "surplus": 0,
        "en_cours": 2,
        "termines": 134,
        "complets": 100,
        "abandons": 34,
    }
    visibilites = dict.fromkeys(valeurs, A)
    visibilites["participations"] = Visibilite.CACHEE
    visibilites["surplus"] = Visibilite.SUPPOSEE
    relations = [
        Relation("participations", ("en_cours", "termines")),
        Relation("participations", ("en_parcours", "surplus")),
        Relation("termines", ("complets", "abandons")),
    ]

    assert _verifier(valeurs, visibilites, relations) == {
        "en_parcours": MASQUEE,
        "participations": NON_PUBLIEE,
        "surplus": NON_PUBLIEE,
        "en_cours": SOUS,
        "termines": AFFICHEE,
        "complets": AFFICHEE,
        "abandons": AFFICHEE,
    }


def test_un_vrai_zero_s_affiche_et_rien_d_autre_n_est_cache():
    valeurs = {"genre_dit": 7, "femmes": 0, "hommes": 7, "autre": 0}
    relations = [Relation("genre_dit", ("femmes", "hommes", "autre"))]

    assert _verifier(valeurs, dict.fromkeys(valeurs, A), relations) == dict.fromkeys(
        valeurs, AFFICHEE
    )


def test_deux_cellules_masquees_de_somme_connue_ne_suffisent_pas():
    """8 = femmes (< 5) + hommes (< 5) + autre (0) : chacune vaut 4. Le total se masque."""
    valeurs = {"genre_dit": 8, "femmes": 4, "hommes": 4, "autre": 0}
    relations = [Relation("genre_dit", ("femmes", "hommes", "autre"))]

    assert _verifier(valeurs, dict.fromkeys(valeurs, A), relations) == {
        "genre_dit": MASQUEE,
        "femmes": SOUS,
        "hommes": SOUS,
        "autre": AFFICHEE,
    }


def test_tableau_croise_masque_en_rectangle_lignes_et_colonnes():
    """3 et 1 sont sous le seuil ; 7 (sur la ligne de 3) et 6 (sur sa colonne) les
    protègent, en rectangle : chaque ligne et chaque colonne a deux cellules masquées, les
    totaux restent affichés."""
    valeurs, visibilites, relations = _tableau_croise([[3, 7, 0], [6, 1, 8]])

    etats = _verifier(valeurs, visibilites, relations)

    assert [[etats[r, c] for c in (0, 1, 2, "T")] for r in (0, 1, "T")] == [
        [SOUS, MASQUEE, AFFICHEE, AFFICHEE],
        [MASQUEE, SOUS, AFFICHEE, AFFICHEE],
        [AFFICHEE, AFFICHEE, AFFICHEE, AFFICHEE],
    ]


def test_quatre_categories_a_1_sous_un_total_sous_le_seuil_retirent_le_total():
    """4 personnes (< 5), une par tranche d'âge sur quatre, la cinquième à 0 : chaque
    « < 5 » vaudrait 1 (quatre nombres d'au moins 1 qui font au plus 4). Rien d'affiché
    n'atteint 5 pour être masqué : le total est retiré (« non diffusé »), le zéro reste."""
    valeurs = {"total": 4, "t0": 1, "t1": 1, "t2": 1, "t3": 1, "t4": 0}
    relations = [Relation("total", ("t0", "t1", "t2", "t3", "t4"))]

    assert _verifier(valeurs, dict.fromkeys(valeurs, A), relations) == {
        "total": NON_DIFFUSEE,
        "t0": SOUS,
        "t1": SOUS,
        "t2": SOUS,
        "t3": SOUS,
        "t4": AFFICHEE,
    }


def test_ce_que_le_lecteur_devine_ne_se_cache_pas_plus_rien_n_est_diffuse():
    """Une cellule que des cellules supposées (jamais affichées, mais devinées) donnent à
    elles seules ne peut être protégée par aucun masque : plus rien n'est affiché, ni le
    « < 5 » ni le reste du tableau. Le tableau du bilan n'a pas de telle relation."""
    valeurs = {"parcours": 3, "suppose": 3, "atelier": 7, "total": 10}
    visibilites = {**dict.fromkeys(valeurs, A), "suppose": Visibilite.SUPPOSEE}
    relations = [Relation("suppose", ("parcours",)), Relation("total", ("parcours", "atelier"))]

    assert proteger(valeurs, visibilites, relations) == {
        "parcours": NON_DIFFUSEE,
        "suppose": NON_PUBLIEE,
        "atelier": NON_DIFFUSEE,
        "total": NON_DIFFUSEE,
    }


_NOMBRES = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20])
_VISIBILITES = st.sampled_from([A, A, A, A, Visibilite.CACHEE, Visibilite.TRANCHE])


@settings(max_examples=150, deadline=None)
@given(
    lignes=st.integers(1, 3).flatmap(
        lambda n: st.lists(st.lists(_NOMBRES, min_size=3, max_size=3), min_size=n, max_size=n)
    ),
    visibilites=st.lists(_VISIBILITES, min_size=9, max_size=9),
)
def test_aucun_tableau_croise_ne_laisse_retrouver_une_cellule_masquee(lignes, visibilites):
    """Des tableaux croisés au hasard, certaines cellules intérieures cachées ou réduites à
    leur tranche : toute cellule de 1 à 4 et toute cellule masquée gardent au moins deux
    valeurs possibles pour qui résout les lignes et les colonnes ; les zéros s'affichent."""
    cellules = [(r, c) for r in range(len(lignes)) for c in range(3)]
    valeurs, visibilite_de, relations = _tableau_croise(
        lignes, dict(zip(cellules, visibilites, strict=False))
    )

    _verifier(valeurs, visibilite_de, relations)
