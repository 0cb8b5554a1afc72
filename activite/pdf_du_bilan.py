"""Le PDF du bilan : rendu une fois par version des données et par public, puis servi tel quel.

La version est celle du bilan en cache (`activite.bilan.cle_du_bilan` : la cohorte et le jeton
d'activité de chaque structure), plus celle du code et des gabarits de la mise en page. Le
public (détaillé pour les gestionnaires, masqué sous 5 pour les observateurs) fait partie de
la clé : un observateur ne reçoit jamais le fichier rendu pour un gestionnaire.

Le fichier va dans le stockage de fichiers, pas dans le cache : le worker qui rend un grand
bilan doit le laisser là où le processus web le trouve, ce que le cache en mémoire d'un
portable ne permet pas (un cache par processus) ; un PDF de plusieurs centaines de Ko
chasserait aussi du cache Redis ce qui y vit ; et il survit aux redémarrages. Une ligne
`PdfDuBilan` par appel, public et version dit s'il est prêt : le fichier n'est servi qu'une
fois entièrement écrit, et la contrainte d'unicité de la ligne fait qu'une version n'est
rendue qu'une fois, même demandée six fois en même temps.

Un petit bilan (jusqu'à RELAIS_BILAN_PDF_SEUIL_STRUCTURES structures) se rend dans la requête,
sous le verrou d'un rendu à la fois par personne (`noyau.rendu_pdf`) ; un grand part au worker,
et la page « en préparation » attend qu'il soit prêt.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib.metadata import version as version_installee
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from activite import exports, presentation, secret_statistique
from activite.bilan import bilan_a_jour, cle_du_bilan
from activite.enums import PublicDuBilan
from activite.models import PdfDuBilan
from activite.presentation import presenter
from activite.selectors import structures_de_la_cohorte
from noyau.rendu_pdf import RenduDejaEnCours, un_rendu_a_la_fois

logger = logging.getLogger(__name__)

PRET = "pret"
EN_PREPARATION = "en_preparation"
A_DEMANDER = "a_demander"


@cache
def _version_de_la_mise_en_page():
    """Le code et les gabarits qui font le PDF : après une mise en production qui les change
    (le masquage, par exemple), un PDF rendu par l'ancien code n'est plus jamais servi."""
    gabarits = Path(settings.BASE_DIR) / "templates" / "activite"
    modules = (presentation, secret_statistique, exports)
    fichiers = [Path(module.__file__) for module in modules] + [Path(__file__)]
    fichiers += sorted(gabarits.glob("*.html"))
    empreinte = hashlib.sha256(version_installee("weasyprint").encode())
    for fichier in fichiers:
        empreinte.update(fichier.read_bytes())
    return empreinte.hexdigest()[:16]


def version_du_pdf(appel):
    """La version des données du bilan, de sa mise en page et de la langue de la personne, en
    une requête : un PDF rendu en anglais n'est jamais servi à qui lit le français."""
    langue = translation.get_language()
    return hashlib.sha256(
        f"{cle_du_bilan(appel)}:{_version_de_la_mise_en_page()}:{langue}".encode()
    ).hexdigest()


def public_de(utilisateur, appel):
    if utilisateur.has_perm("activite.voir_bilan_detaille", appel):
        return PublicDuBilan.DETAILLE
    return PublicDuBilan.MASQUE


def _abandonne(pdf):
    delai = timedelta(seconds=settings.RELAIS_BILAN_PDF_DELAI_DE_RENDU)
    return pdf.rendu_le is None and pdf.demande_le < timezone.now() - delai


@dataclass(frozen=True)
class Demande:
    etat: str  # PRET ou EN_PREPARATION
    pdf: PdfDuBilan | None = None


def etat_du_pdf(appel, *, public):
    """PRET, EN_PREPARATION, ou A_DEMANDER (rien en cours pour la version d'aujourd'hui : les
    données ont changé depuis la demande, ou son rendu a été abandonné). N'écrit rien."""
    pdf = PdfDuBilan.objects.filter(
        appel=appel, public=public, version=version_du_pdf(appel)
    ).first()
    if pdf is None or _abandonne(pdf):
        return A_DEMANDER
    return PRET if pdf.rendu_le else EN_PREPARATION


def demander_pdf(appel, *, public, demandeur):
    """Le PDF du bilan prêt pour ce public, ou sa préparation en cours.

    Déjà rendu pour la version d'aujourd'hui : servi tel quel. Sinon la demande réserve le
    rendu (une seule réservation par version) : un grand bilan part au worker
    (`activite.rendre_pdf_du_bilan`, au commit), un petit se rend ici, un seul à la fois par
    personne (`RenduDejaEnCours` sinon). Une demande qui trouve le rendu déjà réservé par une
    autre attend qu'il soit prêt."""
    version = version_du_pdf(appel)
    langue = translation.get_language()
    pdf = PdfDuBilan.objects.filter(appel=appel, public=public, version=version).first()
    if pdf is not None and pdf.rendu_le is not None:
        return Demande(PRET, pdf)
    if pdf is not None and not _abandonne(pdf):
        return Demande(EN_PREPARATION, pdf)
    if _grand(appel):
        reserve = _reserver(appel, public, version, abandonne=pdf)
        if reserve is not None:
            transaction.on_commit(lambda: _mettre_en_file(reserve, langue))
        return Demande(EN_PREPARATION, reserve or pdf)
    try:
        with un_rendu_a_la_fois(demandeur):
            reserve = _reserver(appel, public, version, abandonne=pdf)
            if reserve is None:
                return Demande(EN_PREPARATION, pdf)
            try:
                rendre(reserve, langue=langue)
            except BaseException:
                # Rien n'est écrit : la demande suivante doit pouvoir réessayer tout de suite.
                PdfDuBilan.objects.filter(pk=reserve.pk, rendu_le__isnull=True).delete()
                raise
    except RenduDejaEnCours:
        # Le rendu en cours de cette personne est peut-être celui-ci, réservé entre-temps.
        if etat_du_pdf(appel, public=public) == A_DEMANDER:
            raise
        return Demande(EN_PREPARATION)
    rendu = PdfDuBilan.objects.filter(pk=reserve.pk, rendu_le__isnull=False).first()
    # Effacé ou jamais complété : une version plus récente a été rendue pendant ce rendu.
    return Demande(PRET, rendu) if rendu else Demande(EN_PREPARATION)


def _mettre_en_file(pdf, langue):
    try:
        rendre_pdf_du_bilan.delay(pdf_id=pdf.pk, langue=langue)
    except Exception:
        # Broker injoignable : sans tâche, la réservation bloquerait toute demande jusqu'à la
        # fin du délai. Elle part : la page d'attente propose de relancer la préparation.
        logger.exception("PDF du bilan %s : mise en file impossible", pdf.pk)
        PdfDuBilan.objects.filter(pk=pdf.pk, rendu_le__isnull=True).delete()


def _grand(appel):
    return structures_de_la_cohorte(appel).count() > settings.RELAIS_BILAN_PDF_SEUIL_STRUCTURES


def _reserver(appel, public, version, *, abandonne):
    """La réservation du rendu de cette version, ou None si une autre demande l'a prise."""
    maintenant = timezone.now()
    if abandonne is not None:
        # Une seule demande reprend une réservation abandonnée : celle dont la mise à jour
        # trouve encore l'ancienne date.
        repris = PdfDuBilan.objects.filter(
            pk=abandonne.pk, rendu_le__isnull=True, demande_le=abandonne.demande_le
        ).update(demande_le=maintenant)
        if not repris:
            return None
        abandonne.demande_le = maintenant
        return abandonne
    try:
        with transaction.atomic():
            return PdfDuBilan.objects.create(
                appel=appel, public=public, version=version, demande_le=maintenant
            )
    except IntegrityError:
        return None


def rendre(pdf, *, langue=None):
    """Rend le PDF réservé avec les chiffres d'aujourd'hui, dans la langue de la demande (le
    français sans elle), l'écrit dans le stockage, le dit prêt, puis efface les PDF des
    versions plus anciennes (même appel, même public).

    Les chiffres lus après la réservation ne sont jamais plus anciens que sa version (la clé
    du bilan est lue avant le calcul). Si la réservation a disparu ou si un autre rendu l'a
    déjà complétée, le fichier écrit ici est effacé et rien ne change."""
    appel = pdf.appel
    with translation.override(langue or settings.LANGUAGE_CODE):
        vue = presenter(bilan_a_jour(appel), masquer=pdf.public == PublicDuBilan.MASQUE)
        contenu = exports.generer_pdf(appel, vue)
    nom = default_storage.save(
        f"bilans/{appel.pk}/bilan-{pdf.public}-{pdf.version[:24]}.pdf", ContentFile(contenu)
    )
    with transaction.atomic():
        complete = PdfDuBilan.objects.filter(pk=pdf.pk, rendu_le__isnull=True).update(
            fichier=nom, rendu_le=timezone.now()
        )
        if complete:
            # Les fichiers suivent au commit (signal post_delete de PdfDuBilan).
            PdfDuBilan.objects.filter(
                appel=appel, public=pdf.public, demande_le__lt=pdf.demande_le
            ).delete()
    if not complete:
        default_storage.delete(nom)


def oublier(pdf):
    """Le fichier d'un PDF prêt a disparu du stockage : la ligne part, la demande suivante le
    rend à nouveau."""
    PdfDuBilan.objects.filter(pk=pdf.pk).delete()


def effacer_le_fichier(sender, instance, **kwargs):
    """post_delete : le fichier d'une ligne effacée (version dépassée, appel supprimé) quitte le
    stockage une fois l'effacement validé."""
    if instance.fichier:
        nom = instance.fichier.name
        transaction.on_commit(lambda: default_storage.delete(nom), robust=True)


@shared_task(name="activite.rendre_pdf_du_bilan")
def rendre_pdf_du_bilan(*, pdf_id, langue=None):
    """Rend un grand PDF du bilan réservé par une demande ; sans effet s'il est déjà rendu ou
    si sa réservation a disparu (version dépassée). `langue` : celle de la demande."""
    pdf = (
        PdfDuBilan.objects.filter(pk=pdf_id, rendu_le__isnull=True)
        .select_related("appel__programme")
        .first()
    )
    if pdf is None:
        return
    rendre(pdf, langue=langue)
