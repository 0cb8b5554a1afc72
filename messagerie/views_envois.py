"""Les envois groupés : écrire à une liste filtrée (aperçu, confirmation), suivre un envoi, la
liste des envois des programmes gérés."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from messagerie import envois
from messagerie.audiences import sans_doublons, type_d_audience
from messagerie.enums import EtatEnvoiGroupe
from messagerie.forms import EnvoiGroupeForm
from messagerie.models import EnvoiGroupe
from noyau.decorateurs import permission_requise
from noyau.erreurs import Refus
from noyau.refus import repondre_au_refus

GABARIT_ECRIRE = "messagerie/envois/ecrire.html"


def _audience(request, code, pk):
    """Le type d'audience et son audience, avec les filtres de la requête ; 404 pour une liste
    inconnue ou d'un programme que l'on ne gère pas (elle ne se devine pas)."""
    try:
        type_audience = type_d_audience(code)
    except KeyError:
        raise Http404 from None
    objet = type_audience.objet(pk)
    if objet is None:
        raise Http404
    audience = type_audience.audience(objet, request.GET)
    if not request.user.has_perm("messagerie.envoyer_groupe", audience.programme):
        raise Http404
    return type_audience, audience


@permission_requise("messagerie.voir_envois")
def ecrire(request, code, pk):
    type_audience, audience = _audience(request, code, pk)
    destinataires = sans_doublons(audience.destinataires)
    form = EnvoiGroupeForm(request.POST or None, destinataires=destinataires)
    contexte = {
        "type_audience": type_audience,
        "audience": audience,
        "destinataires": destinataires,
        "form": form,
        "apercu": None,
    }
    if request.method != "POST":
        return render(request, GABARIT_ECRIRE, contexte)
    if not form.is_valid():
        return render(request, GABARIT_ECRIRE, contexte, status=400)
    donnees = form.cleaned_data
    try:
        if "envoyer" in request.POST:
            envoi = envois.creer_envoi(
                audience,
                code=code,
                parametres={cle: request.GET.getlist(cle) for cle in request.GET},
                par=request.user,
                sujet=donnees["sujet"],
                corps=donnees["corps"],
            )
            return redirect("messagerie:envoi", pk=envoi.pk)
        contexte["apercu"] = envois.apercu(
            audience,
            sujet=donnees["sujet"],
            corps=donnees["corps"],
            rang=donnees["destinataire"],
        )
    except Refus as refus:
        return repondre_au_refus(
            request,
            refus,
            gabarit=GABARIT_ECRIRE,
            contexte=contexte,
            formulaire=form,
            champ=getattr(refus, "champ", None),
        )
    return render(request, GABARIT_ECRIRE, contexte)


@permission_requise("messagerie.voir_envois")
def envoi(request, pk):
    envoi = get_object_or_404(
        EnvoiGroupe.objects.visibles_par(request.user).select_related("programme", "cree_par"),
        pk=pk,
    )
    return render(
        request,
        "messagerie/envois/envoi.html",
        {"envoi": envoi, "en_cours": envoi.etat == EtatEnvoiGroupe.EN_COURS},
    )


@permission_requise("messagerie.voir_envois")
def liste(request):
    page = Paginator(
        EnvoiGroupe.objects.visibles_par(request.user)
        .select_related("programme", "cree_par")
        .defer("destinataires", "corps"),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request, "messagerie/envois/liste.html", {"page": page, "titre": _("Envois groupés")}
    )
