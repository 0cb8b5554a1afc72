"""Le secret statistique d'un tableau de comptes de personnes : masquage primaire, puis
secondaire. Une fonction pure (`proteger`), sans Django ni base : un tableau entre, l'état
affiché de chaque cellule sort.

Le tableau : des cellules (une clé, un nombre de personnes, ce que le lecteur en voit) et des
relations additives « total = somme des parties » (femmes + hommes + autre = genre dit ; les
structures font la cohorte ; en parcours + hors parcours = personnes accompagnées…). Le lecteur
connaît ces relations, les nombres affichés et le sens de chaque marque :

- « < 5 » (masquage primaire) : de 1 à 4 personnes ;
- « masqué » (masquage secondaire) : au moins 5, caché parce qu'avec lui on retrouverait un
  « < 5 » par soustraction ;
- « non diffusé » : n'importe quel nombre, zéro compris (quand masquer ne suffit pas) ;
- 0 : un vrai zéro, toujours affiché.

Pourquoi montrer les zéros : un 0 ne décrit personne (aucune personne n'a ce trait), et le
cacher derrière « < 5 » serait faux. Mais un 0 affiché est une valeur connue dans les
relations : avec « total 8 = femmes (< 5) + hommes (< 5) + autre (0) », femmes et hommes
valent forcément 4 ; avec « 4 personnes (< 5) = quatre tranches d'âge (< 5) + une tranche à 0 »,
chaque tranche vaut 1. Les zéros restent donc affichés, et le calcul ci-dessous les compte
comme connus : c'est lui qui cache ce qu'il faut d'autre (le total 8 ; le total 4).

Garantie : pour chaque cellule de 1 à 4 personnes (affichée ou non) et chaque cellule
masquée, il existe un autre tableau, différent en cette cellule, qui donne exactement les mêmes
affichages et respecte toutes les relations : le lecteur ne peut pas la retrouver en résolvant
les relations. Le calcul ne l'espère pas, il construit cet autre tableau (un « témoin »), en
changeant de ±1 la cellule puis, de relation en relation, d'autres cellules que le lecteur ne
connaît pas. Un témoin trouvé reste valable quand on cache davantage (on ne fait qu'élargir ce
que le lecteur doit deviner) : le calcul avance sans retour en arrière et s'arrête.

Faute de témoin, on en cherche un qui change aussi des cellules affichées, au moindre coût
(sous un plafond qui grandit) : masquer une cellule coûte sa valeur (la plus petite d'abord,
et un total est d'ordinaire plus grand que ses parties) ; la retirer coûte davantage, et
retirer un vrai zéro presque tout. Les cellules que ce témoin change sont alors masquées
(« masqué ») ou retirées (« non diffusé »).

Limite : la garantie vaut contre qui résout les relations publiées avec les bornes des
marques ; pas contre qui raisonnerait sur les choix du calcul lui-même (pourquoi telle
cellule a été masquée plutôt qu'une autre), hypothèse habituelle de ce genre de masquage.
"""

from collections import deque
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

SEUIL = 5
_INFINI = float("inf")
# Le témoin se cherche en profondeur ; au-delà de ces limites on cache plutôt que chercher
# encore (on perd un peu de détail, jamais le secret).
_ETAPES_PAR_RECHERCHE = 2000
_PROFONDEUR_MAXIMALE = 400
# Dans une grande relation (une colonne de structures), on n'examine que quelques cellules.
_CANDIDATES_PAR_RELATION = 12
_PETITE_RELATION = 40
# Retirer coûte plus que masquer une cellule ordinaire ; retirer un vrai zéro ne se fait
# qu'en tout dernier recours.
_COUT_D_UN_RETRAIT = 50
_COUT_D_UN_ZERO = 1000


class Visibilite(StrEnum):
    """Ce que les sorties montrent d'une cellule, avant tout masquage."""

    AFFICHEE = "affichee"  # son nombre, ou un pourcentage qui le laisse retrouver
    TRANCHE = "tranche"  # seulement 0, de 1 à 4 ou au moins 5 (le dénominateur d'une moyenne)
    CACHEE = "cachee"  # rien : le lecteur n'en sait que ce qu'en disent les relations
    SUPPOSEE = "supposee"  # rien, mais le lecteur la devine (« un parcours par personne »)


class Etat(StrEnum):
    """Ce que le lecteur voit d'une cellule, après masquage."""

    AFFICHEE = "affichee"  # le nombre exact
    SOUS_LE_SEUIL = "sous_le_seuil"  # « < 5 » : de 1 à 4
    MASQUEE = "masquee"  # « masqué » : au moins 5 (ou, pour une tranche, « au moins 5 »)
    NON_DIFFUSEE = "non_diffusee"  # « non diffusé » : n'importe quel nombre
    NON_PUBLIEE = "non_publiee"  # une cellule cachée ou supposée : jamais affichée


@dataclass(frozen=True)
class Relation:
    """total = somme des parties."""

    total: Hashable
    parties: tuple


def proteger(
    valeurs: Mapping[Hashable, int],
    visibilites: Mapping[Hashable, Visibilite],
    relations: Sequence[Relation],
) -> dict[Hashable, Etat]:
    """L'état de chaque cellule après le masquage primaire (de 1 à 4 : « < 5 ») et le masquage
    secondaire (ce qui laisserait retrouver une cellule masquée est masqué à son tour).

    `valeurs` et `visibilites` ont les mêmes clés ; chaque relation doit tenir sur `valeurs`
    (sinon ValueError : le tableau décrit mal les chiffres). L'ordre des clés décide, à
    égalité, quelle cellule est masquée : le résultat ne dépend que des entrées."""
    return _Masquage(valeurs, visibilites, relations).resultat()


class _Masquage:
    def __init__(self, valeurs, visibilites, relations):
        self.cles = list(valeurs)
        index = {cle: i for i, cle in enumerate(self.cles)}
        self.valeur = [int(valeurs[cle]) for cle in self.cles]
        self.visibilite = [Visibilite(visibilites[cle]) for cle in self.cles]
        if any(v < 0 for v in self.valeur):
            raise ValueError("Un compte de personnes ne peut pas être négatif.")
        # Chaque relation : [(cellule, coefficient)], le total à -1, les parties à +1.
        self.membres = []
        self.relations_de = [[] for _ in self.cles]
        for relation in relations:
            membres = [(index[relation.total], -1)] + [(index[p], 1) for p in relation.parties]
            if sum(c * self.valeur[i] for i, c in membres):
                raise ValueError(f"La relation {relation} ne tient pas sur les valeurs données.")
            j = len(self.membres)
            self.membres.append(membres)
            for i, c in membres:
                self.relations_de[i].append((j, c))
        self.etat = [self._etat_initial(i) for i in range(len(self.cles))]
        self.bornes = [self._bornes_selon_l_etat(i) for i in range(len(self.cles))]
        self.libres = [{i for i, _c in membres if not self._fixee(i)} for membres in self.membres]
        self.coefficients = [dict(membres) for membres in self.membres]
        self.tailles = [len(membres) for membres in self.membres]
        self.certifiees = set()
        self.cout_maximal = _COUT_D_UN_ZERO + 2 * sum(self.valeur)

    # --- ce que le lecteur sait de chaque cellule --------------------------------------------

    def _etat_initial(self, i):
        valeur, visibilite = self.valeur[i], self.visibilite[i]
        if visibilite in (Visibilite.CACHEE, Visibilite.SUPPOSEE):
            return Etat.NON_PUBLIEE
        if valeur == 0:
            return Etat.AFFICHEE
        if valeur < SEUIL:
            return Etat.SOUS_LE_SEUIL
        return Etat.MASQUEE if visibilite == Visibilite.TRANCHE else Etat.AFFICHEE

    def _bornes(self, i):
        return self.bornes[i]

    def _bornes_selon_l_etat(self, i):
        """Les valeurs que le lecteur peut prêter à la cellule, hors relations."""
        etat, visibilite = self.etat[i], self.visibilite[i]
        if visibilite == Visibilite.SUPPOSEE or etat == Etat.AFFICHEE:
            return self.valeur[i], self.valeur[i]
        if etat == Etat.SOUS_LE_SEUIL:
            return 1, SEUIL - 1
        if etat == Etat.MASQUEE:
            return SEUIL, _INFINI
        return 0, _INFINI  # cachée ou non diffusée

    def _fixee(self, i):
        minimum, maximum = self._bornes(i)
        return minimum == maximum

    def _a_proteger(self, i):
        if self.visibilite[i] == Visibilite.SUPPOSEE:
            return False
        if 0 < self.valeur[i] < SEUIL:
            return True
        return self.etat[i] == Etat.MASQUEE and self.visibilite[i] == Visibilite.AFFICHEE

    def _changer_etat(self, i, etat):
        self.etat[i] = etat
        self.bornes[i] = self._bornes_selon_l_etat(i)
        for j, _c in self.relations_de[i]:
            if self._fixee(i):
                self.libres[j].discard(i)
            else:
                self.libres[j].add(i)

    # --- la boucle ---------------------------------------------------------------------------

    def resultat(self):
        a_voir = deque(i for i in range(len(self.cles)) if self._a_proteger(i))
        while a_voir:
            i = a_voir.popleft()
            if i in self.certifiees or not self._a_proteger(i):
                continue
            temoin = self._temoin(i, _TEL_QUEL) or self._temoin_au_moindre_cout(i)
            if temoin is None:
                # Recherche trop longue (un très grand tableau) : plus aucun nombre affiché.
                self._ne_plus_rien_diffuser()
                temoin = self._temoin(i, _TEL_QUEL) or {}
            a_voir.extend(self._appliquer(temoin))
        return {cle: self.etat[i] for i, cle in enumerate(self.cles)}

    def _appliquer(self, temoin):
        """Masque (ou retire) ce que le témoin change hors des bornes que le lecteur connaît :
        le témoin devient un tableau possible pour lui. Renvoie les cellules masquées,
        désormais à protéger elles aussi."""
        masquees = []
        for i, ecart in temoin.items():
            minimum, maximum = self._bornes(i)
            nouvelle = self.valeur[i] + ecart
            if minimum <= nouvelle <= maximum:
                continue
            if self._masquable(i) and nouvelle >= SEUIL:
                self._changer_etat(i, Etat.MASQUEE)
                masquees.append(i)
            else:
                self._changer_etat(i, Etat.NON_DIFFUSEE)
        self.certifiees.update(temoin)
        return masquees

    # --- le témoin : un autre tableau qui donne les mêmes affichages -------------------------

    def _temoin_au_moindre_cout(self, depart):
        """Un témoin qui cache en plus des cellules affichées, en cherchant d'abord ceux qui
        en cachent peu (leur coût sous un plafond qui grandit)."""
        plafond = 4 * SEUIL
        while True:
            temoin = self._temoin(depart, _EN_CACHANT, plafond)
            if temoin is not None or plafond > self.cout_maximal:
                return temoin
            plafond *= 4

    def _temoin(self, depart, niveau, plafond=_INFINI):
        """Un autre tableau possible où `depart` diffère de ±1 : {cellule: écart}, ou None.

        `niveau` dit ce que la recherche peut changer : _TEL_QUEL, seulement ce que le
        lecteur ne connaît pas, dans ses bornes ; _EN_CACHANT, aussi une cellule affichée,
        qu'il faudra masquer ou retirer, au prix de `_cout`, sans dépasser `plafond`."""
        recherche = _Recherche(niveau=niveau, plafond=plafond)
        for sens in (1, -1):
            nouvelle = self.valeur[depart] + sens
            minimum, maximum = self._bornes_permises(depart, niveau)
            if not minimum <= nouvelle <= maximum:
                continue
            cout = self._cout(depart, nouvelle, niveau)
            if cout > plafond:
                continue
            recherche.budget = _ETAPES_PAR_RECHERCHE
            ecarts = {depart: sens}
            desequilibres = {}
            _deplacer(desequilibres, self.relations_de[depart], sens)
            if self._equilibrer(ecarts, desequilibres, recherche, cout, 0):
                return ecarts
        return None

    def _bornes_permises(self, i, niveau):
        if niveau == _EN_CACHANT and self._montree(i):
            return 0, _INFINI
        return self._bornes(i)

    def _cout(self, i, nouvelle, niveau):
        """Le détail perdu à prêter cette valeur à la cellule : rien si le lecteur la lui
        prête déjà ; sa valeur s'il faut la masquer (« la plus petite d'abord ») ; davantage
        s'il faut la retirer, et presque tout pour un vrai zéro."""
        if niveau == _TEL_QUEL:
            return 0
        minimum, maximum = self._bornes(i)
        if minimum <= nouvelle <= maximum:
            return 0
        if self._masquable(i) and nouvelle >= SEUIL:
            return self.valeur[i]
        if self.valeur[i] == 0:
            return _COUT_D_UN_ZERO
        if self.etat[i] == Etat.SOUS_LE_SEUIL:
            return _COUT_D_UN_RETRAIT
        return _COUT_D_UN_RETRAIT + self.valeur[i]

    def _equilibrer(self, ecarts, desequilibres, recherche, cout, profondeur):
        """Rétablit chaque relation déséquilibrée en changeant de ±1 une autre de ses
        cellules, sans sortir des bornes permises ; en profondeur, avec retours."""
        if not desequilibres:
            return True
        relation = min(desequilibres, key=self.tailles.__getitem__)
        recherche.budget -= 1
        if recherche.budget < 0 or profondeur > _PROFONDEUR_MAXIMALE:
            return False
        sens_voulu = -1 if desequilibres[relation] > 0 else 1
        candidates = []
        for i in self._membres_a_essayer(relation, desequilibres, recherche.niveau):
            if i in ecarts:
                continue
            changement = sens_voulu * self.coefficients[relation][i]
            nouvelle = self.valeur[i] + changement
            minimum, maximum = self._bornes_permises(i, recherche.niveau)
            if not minimum <= nouvelle <= maximum:
                continue
            prix = self._cout(i, nouvelle, recherche.niveau)
            if cout + prix > recherche.plafond:
                continue
            # D'abord les cellules qui rééquilibrent ailleurs au lieu de déséquilibrer.
            desordre = 0
            for k, ck in self.relations_de[i]:
                if k != relation:
                    avant = desequilibres.get(k, 0)
                    desordre += abs(avant + ck * changement) - abs(avant)
            candidates.append((desordre, prix, i, changement))
            if len(candidates) >= _CANDIDATES_PAR_RELATION:
                break
        candidates.sort()
        for _desordre, prix, i, changement in candidates:
            ecarts[i] = changement
            _deplacer(desequilibres, self.relations_de[i], changement)
            if self._equilibrer(ecarts, desequilibres, recherche, cout + prix, profondeur + 1):
                return True
            _deplacer(desequilibres, self.relations_de[i], -changement)
            del ecarts[i]
            if recherche.budget < 0:
                return False
        return False

    def _membres_a_essayer(self, relation, desequilibres, niveau):
        """Les cellules de la relation à essayer : d'abord celles d'une autre relation
        déséquilibrée (elles peuvent rééquilibrer les deux), puis les autres, que le lecteur
        ne connaît pas (ou, en masquant, toutes). Une grande relation (une colonne de
        structures) n'est pas parcourue en entier : on s'arrête à quelques candidates."""
        coefficients = self.coefficients[relation]
        vues = set()
        for k in desequilibres:
            if k != relation and len(self.membres[k]) <= _PETITE_RELATION:
                for i, _c in self.membres[k]:
                    if i in coefficients and i not in vues:
                        vues.add(i)
                        yield i
        autres = self.libres[relation] if niveau == _TEL_QUEL else coefficients
        for i in sorted(autres) if len(autres) <= _PETITE_RELATION else autres:
            if i not in vues:
                yield i

    # --- ce que la recherche peut encore changer ---------------------------------------------

    def _montree(self, i):
        return (
            self.visibilite[i] in (Visibilite.AFFICHEE, Visibilite.TRANCHE)
            and self.etat[i] != Etat.NON_DIFFUSEE
        )

    def _masquable(self, i):
        return (
            self.visibilite[i] == Visibilite.AFFICHEE
            and self.etat[i] == Etat.AFFICHEE
            and self.valeur[i] >= SEUIL
        )

    def _ne_plus_rien_diffuser(self):
        for i in range(len(self.cles)):
            if self._montree(i):
                self._changer_etat(i, Etat.NON_DIFFUSEE)


_TEL_QUEL, _EN_CACHANT = 0, 1


def _deplacer(desequilibres, relations, changement):
    """Reporte le changement d'une cellule sur ses relations ; {relation: écart non nul}."""
    for k, ck in relations:
        ecart = desequilibres.get(k, 0) + ck * changement
        if ecart:
            desequilibres[k] = ecart
        else:
            desequilibres.pop(k, None)


@dataclass
class _Recherche:
    niveau: int
    plafond: float
    budget: int = 0
