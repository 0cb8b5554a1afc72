"""Les exports préparés d'une personne : la liste « Mes exports », la page d'un export (où en
est sa préparation, puis son lien), l'état lu par le script de cette page, le fichier.

Chacun n'ouvre que les siens (ceux d'une autre personne : 403) ; le fichier n'est servi que
tant que la personne a encore le droit de le lire (elle gère toujours le programme, voit
toujours ce public du bilan), sinon 403 ; expiré, la page le dit (410)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from telechargements import registre, services
from telechargements.models import ECHEC, EXPIRE, PRET, Telechargement

EXPORTS_LISTES = 20
GABARIT = "telechargements/export.html"


def vers_l_export(telechargement):
    """303 vers la page de l'export qui vient d'être demandé."""
    reponse = HttpResponseRedirect(reverse("telechargements:export", args=[telechargement.pk]))
    reponse.status_code = 303
    return reponse


def _le_sien(request, pk):
    """L'export de cette personne, si elle a encore le droit de le lire ; celui d'une autre
    personne est refusé (403), jamais servi."""
    telechargement = get_object_or_404(Telechargement.objects.select_related("appel"), pk=pk)
    if telechargement.demandeur_id != request.user.pk:
        raise PermissionDenied(
            _("Cet export a été demandé par une autre personne : seule elle peut l'ouvrir.")
        )
    genre = registre.genre(telechargement.genre)
    if not genre.autorise(request.user, telechargement):
        raise PermissionDenied(
            _(
                "Vous n'avez plus accès à cet export : votre compte ne permet plus de lire ces "
                "données."
            )
        )
    return telechargement, genre


def texte_de_l_etat(telechargement):
    etat = telechargement.etat
    if etat == EXPIRE:
        return _("Cet export a expiré : son fichier a été effacé. Demandez un nouvel export.")
    if etat == ECHEC:
        return _("La préparation de cet export a échoué. Demandez un nouvel export.")
    faites = number_format(telechargement.lignes_faites, force_grouping=True)
    total = number_format(telechargement.lignes_total, force_grouping=True)
    if etat == PRET:
        return _("L'export est prêt : %(total)s lignes.") % {"total": total}
    if telechargement.commence_le is None:
        return _("L'export est en attente de préparation (%(total)s lignes).") % {"total": total}
    return _("Préparation en cours : %(faites)s lignes sur %(total)s.") % {
        "faites": faites,
        "total": total,
    }


def _mes_exports(utilisateur):
    liste = Telechargement.objects.filter(demandeur=utilisateur).select_related("appel")
    return [
        (telechargement, registre.genre(telechargement.genre).libelle)
        for telechargement in liste[:EXPORTS_LISTES]
    ]


@login_required
def mes_exports(request):
    seuil = number_format(settings.RELAIS_EXPORT_SEUIL_LIGNES, force_grouping=True)
    return render(
        request,
        "telechargements/mes_exports.html",
        {"exports": _mes_exports(request.user), "seuil": seuil},
    )


@login_required
def export(request, pk):
    telechargement, genre = _le_sien(request, pk)
    contexte = {
        "telechargement": telechargement,
        "libelle": genre.libelle,
        "retour": genre.retour(telechargement),
        "texte": texte_de_l_etat(telechargement),
        "relancable": services.relancable(telechargement),
        "exports": _mes_exports(request.user),
    }
    statut = 410 if telechargement.etat == EXPIRE else 200
    return render(request, GABARIT, contexte, status=statut)


@login_required
def export_etat(request, pk):
    """Où en est l'export, pour le script de sa page."""
    telechargement, _genre = _le_sien(request, pk)
    return JsonResponse(
        {
            "etat": telechargement.etat,
            "lignes_faites": telechargement.lignes_faites,
            "lignes_total": telechargement.lignes_total,
            "pourcentage": telechargement.pourcentage,
            "texte": texte_de_l_etat(telechargement),
        }
    )


@login_required
def export_fichier(request, pk):
    telechargement, genre = _le_sien(request, pk)
    if telechargement.etat != PRET:
        return redirect("telechargements:export", pk=telechargement.pk)
    try:
        fichier = telechargement.fichier.open("rb")
    except FileNotFoundError:
        contexte = {
            "telechargement": telechargement,
            "libelle": genre.libelle,
            "retour": genre.retour(telechargement),
            "texte": _("Le fichier de cet export n'existe plus. Demandez un nouvel export."),
        }
        return render(request, GABARIT, contexte, status=410)
    return FileResponse(
        fichier,
        as_attachment=True,
        filename=telechargement.nom_de_fichier,
        content_type=registre.TYPES_MIME.get(telechargement.format),
    )


@require_POST
@login_required
def export_relancer(request, pk):
    telechargement, _genre = _le_sien(request, pk)
    if services.relancer(telechargement):
        messages.success(request, _("La préparation de l'export est relancée."))
    return redirect("telechargements:export", pk=telechargement.pk)
