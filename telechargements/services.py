"""Demander un export au worker : une requête de comptage (faite par l'appelant), une
insertion, et la tâche mise en file au commit. La même demande déjà en préparation, ou déjà
prête aujourd'hui sur des données qui n'ont pas changé depuis, est rendue telle quelle."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from noyau.horloge import lire_horloge
from noyau.taches import publier_au_commit
from telechargements import preparation, registre, tasks
from telechargements.models import Telechargement


def _la_demande(demandeur, genre, appel, format_, parametres):
    """Ce qui fait d'un export la même demande : la personne, le genre, l'appel, le format, les
    filtres et la langue en cours."""
    return {
        "demandeur": demandeur,
        "genre": genre,
        "appel": appel,
        "format": format_,
        "parametres": parametres,
        "langue": translation.get_language() or settings.LANGUAGE_CODE,
    }


def reutilisable(*, demandeur, genre, appel, format_, parametres):
    """L'export que cette demande rendrait déjà : le même (personne, genre, appel, format,
    filtres, langue), encore en préparation (un double clic, une page rechargée), ou prêt,
    non expiré, fait aujourd'hui (son nom porte la date) sur des données qui n'ont pas changé
    depuis (les tables qu'il a lues ont la même génération). None sinon."""
    maintenant = timezone.now()
    recent = maintenant - timedelta(seconds=settings.RELAIS_EXPORT_DELAI_DE_PREPARATION)
    telechargement = (
        Telechargement.objects.filter(
            **_la_demande(demandeur, genre, appel, format_, parametres), echoue_le__isnull=True
        )
        .filter(
            Q(termine_le__isnull=True, demande_le__gt=recent)
            | Q(termine_le__isnull=False, expire_le__gt=maintenant)
        )
        .order_by("-demande_le")
        .first()
    )
    if telechargement is None or telechargement.termine_le is None:
        return telechargement
    if not telechargement.horloge or (
        timezone.localdate(telechargement.termine_le) != timezone.localdate(maintenant)
    ):
        return None
    horloge = lire_horloge()
    if all(horloge.get(table, 0) == g for table, g in telechargement.horloge.items()):
        return telechargement
    return None


def demander(*, demandeur, genre, appel, format_, lignes_total, parametres, reutiliser=True):
    """L'export demandé par cette personne, ou celui que la même demande rend déjà
    (`reutilisable` ; `reutiliser=False` quand l'appelant vient de le chercher)."""
    registre.genre(genre)  # KeyError : un genre inconnu est une erreur de programmation
    existant = (
        reutilisable(
            demandeur=demandeur, genre=genre, appel=appel, format_=format_, parametres=parametres
        )
        if reutiliser
        else None
    )
    if existant is not None:
        return existant
    telechargement = Telechargement.objects.create(
        **_la_demande(demandeur, genre, appel, format_, parametres), lignes_total=lignes_total
    )
    publier_au_commit(tasks.preparer_export, telechargement_id=telechargement.pk)
    return telechargement


def relancer(telechargement):
    """Remet en file un export dont la tâche s'est perdue (en attente depuis plus d'une minute,
    ou commencé depuis plus que le délai) ; False s'il n'y a rien à relancer."""
    if not relancable(telechargement):
        return False
    publier_au_commit(tasks.preparer_export, telechargement_id=telechargement.pk)
    return True


def relancable(telechargement):
    return preparation.a_preparer().filter(pk=telechargement.pk).exists()
