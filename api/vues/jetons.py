"""« Mon compte » › « Jetons d'accès à l'API » : créer un jeton (montré une seule fois), voir
ses jetons et leur dernier usage, en révoquer un."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import jetons
from api.forms import JetonForm
from api.models import JetonAPI
from noyau.refus import executer

GABARIT = "api/jetons.html"


def _contexte(request, form, nouveau=None):
    return {
        "form": form,
        "jetons": JetonAPI.objects.filter(utilisateur=request.user).select_related("programme"),
        "nouveau": nouveau,
        "maintenant": timezone.now(),
    }


@never_cache
@login_required
def jetons_de_mon_compte(request):
    programmes = jetons.programmes_possibles(request.user)
    form = JetonForm(request.POST or None, programmes=programmes)
    nouveau = None
    if request.method == "POST" and form.is_valid():
        resultat, refus = executer(
            request,
            lambda: jetons.creer_jeton(
                request.user,
                nom=form.cleaned_data["nom"],
                programme=form.cleaned_data["programme"],
                expire_le=form.expiration(),
            ),
            gabarit=GABARIT,
            contexte=lambda: _contexte(request, form),
            formulaire=form,
            champ="expire_le",
        )
        if refus:
            return refus
        jeton, clair = resultat
        nouveau = {"jeton": jeton, "clair": clair}
        form = JetonForm(programmes=programmes)
    statut = 400 if form.is_bound and form.errors else 200
    return render(request, GABARIT, _contexte(request, form, nouveau), status=statut)


@require_POST
@login_required
def revoquer(request, pk):
    jeton = get_object_or_404(JetonAPI, pk=pk, utilisateur=request.user)
    form = JetonForm(programmes=jetons.programmes_possibles(request.user))
    _resultat, refus = executer(
        request,
        lambda: jetons.revoquer_jeton(jeton, par=request.user),
        gabarit=GABARIT,
        contexte=lambda: _contexte(request, form),
        succes=_("Le jeton « %(nom)s » est révoqué : il ne lit plus rien.") % {"nom": jeton.nom},
    )
    return refus or redirect("jetons:liste")
