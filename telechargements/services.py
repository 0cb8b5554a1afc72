"""Demander un export au worker : une requête de comptage (faite par l'appelant), une
insertion, et la tâche mise en file au commit."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation

from noyau.taches import publier_au_commit
from telechargements import preparation, registre, tasks
from telechargements.models import Telechargement


def demander(*, demandeur, genre, appel, format_, lignes_total, parametres):
    """L'export demandé par cette personne ; la même demande encore en préparation (un double
    clic, une page rechargée) est rendue telle quelle au lieu d'en préparer une seconde."""
    registre.genre(genre)  # KeyError : un genre inconnu est une erreur de programmation
    recent = timezone.now() - timedelta(seconds=settings.RELAIS_EXPORT_DELAI_DE_PREPARATION)
    en_cours = Telechargement.objects.filter(
        demandeur=demandeur,
        genre=genre,
        appel=appel,
        format=format_,
        parametres=parametres,
        termine_le__isnull=True,
        echoue_le__isnull=True,
        demande_le__gt=recent,
    ).first()
    if en_cours is not None:
        return en_cours
    telechargement = Telechargement.objects.create(
        demandeur=demandeur,
        genre=genre,
        appel=appel,
        format=format_,
        langue=translation.get_language() or settings.LANGUAGE_CODE,
        parametres=parametres,
        lignes_total=lignes_total,
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
