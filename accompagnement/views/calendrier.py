"""Le flux ICS privé de chacun : une page qui donne son adresse, et le flux lui-même, lu par
les agendas sans session (l'adresse signée tient lieu d'identifiant)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accompagnement import calendrier, selectors


@login_required
def page(request):
    return render(
        request,
        "accompagnement/calendrier.html",
        {"adresse": calendrier.adresse_du_flux(request.user)},
    )


@require_POST
@login_required
def regenerer(request):
    calendrier.regenerer_jeton(request.user)
    messages.success(request, gettext("Nouvelle adresse créée : l'ancienne ne fonctionne plus."))
    return redirect("accompagnement:calendrier")


def flux(request, signe):
    utilisateur = calendrier.utilisateur_du_flux(signe)
    if utilisateur is None:
        raise Http404("Adresse de calendrier inconnue ou révoquée.")
    sessions, jalons, comites = selectors.contenu_du_flux(utilisateur)
    contenu = calendrier.ics_flux(sessions=sessions, jalons=jalons, comites=comites)
    return HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
