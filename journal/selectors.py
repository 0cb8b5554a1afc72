"""Lecture du journal d'un objet : ses transitions (django-fsm-log) et ses autres événements."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from journal.models import Evenement


@dataclass(frozen=True)
class LigneHistorique:
    quand: datetime
    acteur: object
    libelle: str
    depuis: str
    vers: str
    motif: str


def historique(objet):
    """Toutes les lignes du journal d'un objet, de la plus ancienne à la plus récente."""
    type_objet = ContentType.objects.get_for_model(objet)
    lignes = [
        LigneHistorique(
            quand=log.timestamp,
            acteur=log.by,
            libelle=log.transition,
            depuis=log.source_state or "",
            vers=log.state,
            motif=log.description or "",
        )
        for log in StateLog.objects.filter(content_type=type_objet, object_id=objet.pk)
        .select_related("by")
        .order_by("timestamp", "pk")
    ]
    lignes += [
        LigneHistorique(
            quand=evenement.survenu_le,
            acteur=evenement.acteur,
            libelle=evenement.libelle,
            depuis="",
            vers="",
            motif=evenement.motif,
        )
        for evenement in Evenement.objects.filter(cible_type=type_objet, cible_id=objet.pk)
        .select_related("acteur")
        .order_by("survenu_le", "pk")
    ]
    return sorted(lignes, key=lambda ligne: ligne.quand)
