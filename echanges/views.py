"""Le fil d'un objet : sa page (lue, et réaffichée avec la saisie si un envoi est refusé),
l'envoi d'un message, le partage avec le jury, le téléchargement d'une pièce.

Un objet que la personne ne peut pas voir est introuvable (404), comme sur sa propre page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from echanges import registre, selectors, services
from echanges.forms import MessageFilForm
from echanges.models import Cote, PieceJointeMessage
from noyau.fichiers import servir_fichier
from noyau.refus import executer

GABARIT = "echanges/fil.html"


def _objet_visible(request, cle, pk):
    try:
        type_de_fil = registre.par_cle(cle)
    except KeyError:
        raise Http404 from None
    objet = get_object_or_404(type_de_fil.visibles_par(request.user), pk=pk)
    if not request.user.has_perm(type_de_fil.regle_lire, objet):
        raise PermissionDenied(gettext("Vous ne pouvez pas lire ce fil de discussion."))
    return type_de_fil, objet


def _retour(type_de_fil, objet, utilisateur):
    return type_de_fil.page(objet, services.cote_de(utilisateur, objet)) + "#fil-discussion"


def _contexte(request, type_de_fil, objet, form=None):
    return {
        "objet": objet,
        "intitule": type_de_fil.intitule(objet),
        "retour": _retour(type_de_fil, objet, request.user),
        "form_fil": form,
    }


@login_required
def fil(request, cle, pk):
    type_de_fil, objet = _objet_visible(request, cle, pk)
    if request.method != "POST":
        return render(request, GABARIT, _contexte(request, type_de_fil, objet))
    equipe = services.cote_de(request.user, objet) == Cote.EQUIPE
    form = MessageFilForm(request.POST, request.FILES, equipe=equipe)
    if not form.is_valid():
        return render(request, GABARIT, _contexte(request, type_de_fil, objet, form), status=400)
    _message, refus = executer(
        request,
        lambda: services.ecrire(
            objet,
            par=request.user,
            texte=form.cleaned_data["texte"],
            fichiers=form.cleaned_data["fichiers"],
            delai_reponse_jours=form.cleaned_data.get("delai_reponse_jours"),
        ),
        gabarit=GABARIT,
        contexte=lambda: _contexte(request, type_de_fil, objet, form),
        formulaire=form,
        succes=gettext("Votre message est envoyé."),
    )
    return refus or redirect(_retour(type_de_fil, objet, request.user))


@require_POST
@login_required
def partage(request, cle, pk):
    type_de_fil, objet = _objet_visible(request, cle, pk)
    partage = request.POST.get("partage") == "1"
    _fil, refus = executer(
        request,
        lambda: services.partager_avec_le_jury(objet, par=request.user, partage=partage),
        gabarit=GABARIT,
        contexte=lambda: _contexte(request, type_de_fil, objet),
        succes=(
            gettext("Le jury voit maintenant ce fil, en lecture seule.")
            if partage
            else gettext("Le jury ne voit plus ce fil.")
        ),
    )
    return refus or redirect(_retour(type_de_fil, objet, request.user))


@login_required
def piece(request, pk):
    """Sert une pièce d'un message à qui peut lire le fil (le jury : s'il lui est montré) ;
    introuvable (404) pour tout autre."""
    piece = get_object_or_404(
        PieceJointeMessage.objects.select_related("message__fil__cible_type"), pk=pk
    )
    fil = piece.message.fil
    objet = fil.cible
    if objet is None or not selectors.peut_telecharger(request.user, objet, fil):
        raise Http404
    return servir_fichier(piece.fichier, nom=piece.nom_original, type_mime=piece.type_mime)
