"""Lecture du journal d'un objet : ses changements d'état et ses autres événements."""

from dataclasses import dataclass
from datetime import datetime

from django_fsm import FSMFieldMixin

from journal.models import Evenement


@dataclass(frozen=True)
class LigneHistorique:
    quand: datetime
    acteur: object
    libelle: str
    depuis: str
    vers: str
    motif: str


def libelles_des_etats(modele):
    """{état: libellé} du champ d'états de `modele` ({} s'il n'en a pas) : la page d'un objet et
    l'API nomment l'état d'arrivée d'un changement d'état par son libellé."""
    for champ in modele._meta.concrete_fields:
        if isinstance(champ, FSMFieldMixin):
            return {cle: str(libelle) for cle, libelle in champ.flatchoices}
    return {}


def historique(objet):
    """Toutes les lignes du journal d'un objet, de la plus ancienne à la plus récente. Pour un
    changement d'état, `libelle` est le nom de la transition."""
    return [
        LigneHistorique(
            quand=evenement.survenu_le,
            acteur=evenement.acteur,
            libelle=evenement.libelle,
            depuis=evenement.depuis,
            vers=evenement.vers,
            motif=evenement.motif,
        )
        for evenement in Evenement.objects.de(objet)
        .select_related("acteur")
        .order_by("survenu_le", "pk")
    ]


def derniere_transition(objet, nom):
    """Le dernier passage de `objet` par la transition `nom` (un Evenement), ou None."""
    return (
        Evenement.objects.de(objet)
        .changements_d_etat()
        .filter(transition=nom)
        .order_by("-pk")
        .first()
    )
