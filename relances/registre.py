"""Le calendrier des courriels datés : les échéances du catalogue (`messagerie.catalogue`),
que chaque application y déclare dans son module `relances.py`, et le calcul de ce qui est dû.

Un courriel daté dit quels objets peuvent être dus (un sélecteur), la date dont partent ses
décalages, qui reçoit la relance, ses gabarits et ses décalages par défaut, en jours : -7 = sept
jours avant la date, 0 = le jour même, 7 = une semaine après ; `repetition_jours` relance
ensuite tous les N jours tant que l'objet reste dû (retard).

Quand un balayage a manqué le jour d'une relance (panne), elle part au passage suivant, avec
les vrais jours restants dans son texte, dans ces limites :
- une relance d'avant la date (décalage négatif) ne part plus une fois la date arrivée : elle
  annoncerait comme à venir ce qui a lieu ou est passé ;
- une relance d'après la date (décalage positif ou nul) part au plus `rattrapage_jours` jours
  après son jour (RATTRAPAGE_JOURS sauf mention du type) ;
- une relance dont le jour précède la naissance de l'objet (`debut` : une inscription faite à
  trois jours d'une session n'a pas de J-7) n'est pas due : la suivante partira à son jour.
"""

import datetime
import functools
import operator
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from messagerie.catalogue import RATTRAPAGE_JOURS, courriel, courriels

# Une relance répétée (retard) est suivie au plus ce nombre de jours après son premier envoi.
HORIZON_REPETITION_JOURS = 800


def types_de_relance(*, reglables_sur=None, aux_comptes=None):
    """Les courriels datés du catalogue, ou ceux qu'un gestionnaire peut régler sur ce modèle
    (« app.modele ») ; `aux_comptes=True` : ceux qui vont à des comptes (préférences)."""
    types = courriels(dates=True)
    if reglables_sur:
        types = [t for t in types if reglables_sur in t.portees_modeles]
    if aux_comptes is not None:
        types = [t for t in types if t.aux_comptes == aux_comptes]
    return types


def courriels_reglables():
    """Les courriels qu'une personne règle dans ses préférences : les relances à des comptes
    (les essentielles y sont dites, sans pouvoir être décochées), puis les notifications non
    essentielles à des comptes."""
    return [
        *types_de_relance(aux_comptes=True),
        *(
            entree
            for entree in courriels(dates=False)
            if entree.aux_comptes and not entree.essentiel
        ),
    ]


def courriel_reglable(code):
    """Le courriel réglable de ce code ; KeyError sinon."""
    for entree in courriels_reglables():
        if entree.code == code:
            return entree
    raise KeyError(code)


def type_de_relance(code):
    """Le courriel daté de ce code ; KeyError s'il n'y en a pas."""
    entree = courriel(code)
    if entree.echeance is None:
        raise KeyError(code)
    return entree


def decalage_du(
    date_reference,
    aujourd_hui,
    decalages,
    repetition_jours=None,
    *,
    debut=None,
    rattrapage_jours=RATTRAPAGE_JOURS,
):
    """Le décalage dû aujourd'hui (le plus récent atteint), ou None si aucun ne l'est.

    Un décalage plus ancien déjà dépassé est remplacé par le plus récent : après une panne
    d'une semaine, on n'envoie pas J-7 et J-1 le même jour, seulement J-1. Limites du
    rattrapage : voir la docstring du module.
    """
    if date_reference is None or not decalages:
        return None
    ecart = (aujourd_hui - date_reference).days
    dernier = max(decalages)
    if repetition_jours and ecart > dernier:
        decalage = dernier + ((ecart - dernier) // repetition_jours) * repetition_jours
    else:
        atteints = [d for d in decalages if d <= ecart]
        if not atteints:
            return None
        decalage = max(atteints)
    if decalage < 0 and ecart >= 0:
        return None
    if decalage >= 0 and ecart - decalage > rattrapage_jours:
        return None
    if debut is not None and date_reference + datetime.timedelta(days=decalage) < debut:
        return None
    return decalage


def _ecarts_dus(decalages, repetition_jours, rattrapage_jours):
    """Les intervalles [min, max] d'écarts (aujourd'hui - date de référence) où l'un de ces
    décalages peut être dû, rattrapage compris."""
    intervalles = []
    for decalage in decalages:
        if decalage < 0:
            intervalles.append((decalage, -1))
        else:
            intervalles.append((decalage, decalage + rattrapage_jours))
    if repetition_jours and decalages:
        dernier = max(decalages)
        for ecart in range(
            dernier + repetition_jours, dernier + HORIZON_REPETITION_JOURS + 1, repetition_jours
        ):
            intervalles.append((ecart, ecart + rattrapage_jours))
    return intervalles


def _fusionner(intervalles):
    fusionnes = []
    for debut, fin in sorted(intervalles):
        if fusionnes and debut <= fusionnes[-1][1] + 1:
            fusionnes[-1] = (fusionnes[-1][0], max(fusionnes[-1][1], fin))
        else:
            fusionnes.append((debut, fin))
    return fusionnes


@dataclass(frozen=True)
class Fenetre:
    """Les dates de référence qui peuvent être dues aujourd'hui, d'après tous les décalages
    en vigueur pour un type (ses valeurs par défaut et chaque réglage des gestionnaires) :
    le sélecteur d'un type ne lit que ces objets-là, quels que soient les décalages réglés."""

    intervalles: tuple[tuple[date, date], ...]  # (première date, dernière date), disjoints

    @classmethod
    def pour(cls, aujourd_hui, configurations, *, rattrapage_jours=RATTRAPAGE_JOURS):
        """`configurations` : [(décalages, répétition en jours ou None)]."""
        ecarts = _fusionner(
            intervalle
            for decalages, repetition in configurations
            for intervalle in _ecarts_dus(decalages, repetition, rattrapage_jours)
        )
        return cls(
            tuple(
                (
                    aujourd_hui - datetime.timedelta(days=fin),
                    aujourd_hui - datetime.timedelta(days=debut),
                )
                for debut, fin in ecarts
            )
        )

    def contient(self, jour):
        return any(debut <= jour <= fin for debut, fin in self.intervalles)

    def filtre(self, champ):
        """Le filtre d'un champ date sur la fenêtre."""
        return _ou(Q(**{f"{champ}__range": (debut, fin)}) for debut, fin in self.intervalles)

    def filtre_moment(self, champ):
        """Idem pour un champ date et heure : du premier minuit au minuit qui suit la fin, à
        l'heure de Paris (changements d'heure compris)."""
        return _ou(
            Q(
                **{
                    f"{champ}__gte": _minuit(debut),
                    f"{champ}__lt": _minuit(fin + datetime.timedelta(days=1)),
                }
            )
            for debut, fin in self.intervalles
        )


def _ou(conditions):
    conditions = list(conditions)
    return functools.reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def _minuit(jour):
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))
