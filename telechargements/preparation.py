"""La préparation d'un export par le worker, idempotente : lancée deux fois, elle écrit un
fichier et envoie un courriel.

La préparation prend l'export en posant `commence_le` par une mise à jour conditionnelle (pas
encore commencé, ou commencé avant le délai de préparation : worker tué) ; cette date est son
jeton. Elle écrit la progression à chaque paquet, chaque fois dans sa propre courte
transaction (le worker est en autocommit) : la page de l'export la lit pendant ce temps. Le
fichier est écrit dans un fichier temporaire, puis dans le stockage ; l'export n'est dit prêt
que si le jeton est toujours le sien, sinon son fichier est effacé. Le courriel part avec une
clé unique, dans la transaction qui dit l'export prêt.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from noyau.horloge import capture, lire_horloge
from telechargements import notifications, registre
from telechargements.models import Telechargement

logger = logging.getLogger(__name__)


def _delai():
    return timedelta(seconds=settings.RELAIS_EXPORT_DELAI_DE_PREPARATION)


def _conservation():
    return timedelta(seconds=settings.RELAIS_EXPORT_DUREE_CONSERVATION)


def a_preparer():
    """Les exports dont la tâche s'est perdue : en attente depuis plus d'une minute, ou
    commencés depuis plus que le délai de préparation."""
    maintenant = timezone.now()
    return Telechargement.objects.filter(termine_le__isnull=True, echoue_le__isnull=True).filter(
        Q(commence_le__isnull=True, demande_le__lt=maintenant - timedelta(minutes=1))
        | Q(commence_le__lt=maintenant - _delai())
    )


def _prendre(pk):
    """Le jeton de cette préparation, ou None si une autre la tient ou l'a finie."""
    maintenant = timezone.now()
    pris = (
        Telechargement.objects.filter(pk=pk, termine_le__isnull=True, echoue_le__isnull=True)
        .filter(Q(commence_le__isnull=True) | Q(commence_le__lt=maintenant - _delai()))
        .update(commence_le=maintenant, lignes_faites=0, tentatives=F("tentatives") + 1)
    )
    return maintenant if pris else None


def preparer(pk):
    """Prépare l'export `pk` ; sans effet s'il est fini, expiré ou tenu par une autre
    préparation. Renvoie True si cette préparation l'a terminé."""
    jeton = _prendre(pk)
    if jeton is None:
        _notifier_si_pret(pk)
        return False
    telechargement = Telechargement.objects.select_related("demandeur", "appel").get(pk=pk)
    genre = registre.genre(telechargement.genre)
    les_siens = Telechargement.objects.filter(pk=pk, commence_le=jeton)

    def progression(lignes_faites):
        les_siens.update(lignes_faites=lignes_faites)

    horloge = lire_horloge()
    with tempfile.TemporaryFile() as sortie:
        try:
            with (
                translation.override(telechargement.langue or settings.LANGUAGE_CODE),
                capture() as lecture,
            ):
                lignes = genre.produire(telechargement, sortie, progression)
                nom_de_fichier = genre.nom_de_fichier(telechargement)
        except Exception:
            logger.exception("Export %s : la préparation a échoué", pk)
            les_siens.update(echoue_le=timezone.now())
            return False
        sortie.seek(0)
        nom = default_storage.save(
            f"exports/{telechargement.demandeur_id}/{pk}/{nom_de_fichier}", File(sortie)
        )
    maintenant = timezone.now()
    with transaction.atomic():
        fini = les_siens.filter(termine_le__isnull=True).update(
            fichier=nom,
            nom_de_fichier=nom_de_fichier,
            lignes_faites=lignes,
            lignes_total=lignes,
            termine_le=maintenant,
            expire_le=maintenant + _conservation(),
            horloge={
                table: horloge.get(table, 0)
                for table in sorted(lecture.lues - {Telechargement._meta.db_table})
            },
        )
        if fini:
            telechargement.refresh_from_db()
            notifications.export_pret(telechargement)
    if not fini:
        default_storage.delete(nom)
    return bool(fini)


def _notifier_si_pret(pk):
    """Un export fini dont le courriel n'est peut-être pas parti (worker tué juste après) :
    la clé du message fait qu'il ne part qu'une fois."""
    telechargement = (
        Telechargement.objects.filter(pk=pk, termine_le__isnull=False, expire_le__gt=timezone.now())
        .select_related("demandeur")
        .first()
    )
    if telechargement is not None:
        notifications.export_pret(telechargement)


def expires():
    """Les exports expirés, et ceux jamais terminés dont la demande a passé la durée de
    conservation (échoués, abandonnés)."""
    maintenant = timezone.now()
    return Telechargement.objects.filter(
        Q(expire_le__lte=maintenant)
        | Q(termine_le__isnull=True, demande_le__lt=maintenant - _conservation())
    )


def purger():
    """Efface les exports expirés et leurs fichiers (au commit, par le signal post_delete) ;
    renvoie leur nombre."""
    nombre = 0
    for telechargement in expires().iterator():
        telechargement.delete()
        nombre += 1
    return nombre


def effacer_le_fichier(sender, instance, **kwargs):
    """post_delete : le fichier d'un export effacé quitte le stockage une fois l'effacement
    validé."""
    if instance.fichier:
        nom = instance.fichier.name
        transaction.on_commit(lambda: default_storage.delete(nom), robust=True)
