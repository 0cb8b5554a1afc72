"""Un lecteur qui cherche à retrouver les cellules masquées d'un tableau en résolvant ses
relations additives : recherche exhaustive (propagation des bornes puis découpage des
domaines), indépendante du calcul de `activite.secret_statistique`, qui cherche des témoins.

Un domaine est (minimum, maximum) en entiers, bornés (un plafond remplace l'infini) ; une
relation est [(cellule, coefficient)] dont la somme pondérée vaut 0, coefficients ±1."""

from collections import defaultdict


def relation(total, *parties):
    return [(total, -1)] + [(partie, 1) for partie in parties]


def _propager(domaines, relations, relations_de, a_revoir):
    """Resserre les domaines à partir des relations `a_revoir` ; False si l'une ne peut
    plus tenir."""
    a_revoir = set(a_revoir)
    while a_revoir:
        membres = relations[a_revoir.pop()]
        minimum = sum(c * domaines[v][0 if c > 0 else 1] for v, c in membres)
        maximum = sum(c * domaines[v][1 if c > 0 else 0] for v, c in membres)
        if minimum > 0 or maximum < 0:
            return False
        for v, c in membres:
            bas, haut = domaines[v]
            # Ce que les autres membres apportent, au plus bas et au plus haut.
            autres_min = minimum - c * (bas if c > 0 else haut)
            autres_max = maximum - c * (haut if c > 0 else bas)
            if c > 0:
                nouveau = (max(bas, -autres_max), min(haut, -autres_min))
            else:
                nouveau = (max(bas, autres_min), min(haut, autres_max))
            if nouveau[0] > nouveau[1]:
                return False
            if nouveau != (bas, haut):
                domaines[v] = nouveau
                a_revoir.update(relations_de[v])
    return True


def _solution(domaines, relations, relations_de, guide, a_revoir):
    """Un tableau entier dans les domaines qui tient toutes les relations, ou None. Essaie
    d'abord les valeurs proches de `guide` (le vrai tableau) : la plupart y restent."""
    domaines = dict(domaines)
    if not _propager(domaines, relations, relations_de, a_revoir):
        return None
    ouverte = min(
        (v for v, (bas, haut) in domaines.items() if bas < haut),
        key=lambda v: domaines[v][1] - domaines[v][0],
        default=None,
    )
    if ouverte is None:
        return {v: bas for v, (bas, _haut) in domaines.items()}
    bas, haut = domaines[ouverte]
    cible = min(max(guide[ouverte], bas), haut)
    for essai in ((cible, cible), (bas, cible - 1), (cible + 1, haut)):
        if essai[0] <= essai[1]:
            trouvee = _solution(
                {**domaines, ouverte: essai}, relations, relations_de, guide, relations_de[ouverte]
            )
            if trouvee is not None:
                return trouvee
    return None


def cellules_retrouvables(domaines, relations, valeurs, cibles):
    """Les cibles dont la vraie valeur est la seule compatible avec ce que voit le lecteur
    (`domaines`) et les relations. Vérifie d'abord que le vrai tableau est bien compatible."""
    for v, (bas, haut) in domaines.items():
        assert bas <= valeurs[v] <= haut, f"{v} : {valeurs[v]} hors de [{bas}, {haut}]"
    for membres in relations:
        assert sum(c * valeurs[v] for v, c in membres) == 0, f"{membres} ne tient pas"
    relations_de = defaultdict(list)
    for j, membres in enumerate(relations):
        for v, _c in membres:
            relations_de[v].append(j)
    toutes = range(len(relations))
    domaines = dict(domaines)
    assert _propager(domaines, relations, relations_de, toutes)
    percees = set()
    retrouvables = []
    for cible in cibles:
        if cible in percees:
            continue
        valeur = valeurs[cible]
        bas, haut = domaines[cible]
        for autre in ((bas, valeur - 1), (valeur + 1, haut)):
            if autre[0] > autre[1]:
                continue
            trouvee = _solution(
                {**domaines, cible: autre}, relations, relations_de, valeurs, relations_de[cible]
            )
            if trouvee is not None:
                # Toute cellule qui y diffère du vrai tableau a elle aussi deux valeurs.
                percees.update(v for v, n in trouvee.items() if n != valeurs[v])
                break
        else:
            retrouvables.append(cible)
    return retrouvables
