"""Les pages des webhooks d'un programme, pour ses gestionnaires : la liste et l'ajout, puis
pour chacun son secret, ses réglages, l'envoi d'un test et le journal de ses livraisons (avec
« Renvoyer »). Un autre rôle : 403 ; le webhook d'un autre programme : 404."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crochets import services
from crochets.forms import AbonnementForm, ModifierAbonnementForm
from crochets.models import Abonnement, Livraison
from noyau.decorateurs import permission_requise
from noyau.perimetre import geres_par
from noyau.refus import executer
from programmes.models import Programme

ACCES = "crochets.acceder"
GABARIT_LISTE = "crochets/liste.html"
GABARIT_DETAIL = "crochets/detail.html"
LIVRAISONS_PAR_PAGE = 25


def _programme_gere(request, pk):
    return get_object_or_404(Programme.objects.filter(geres_par(Programme, request.user)), pk=pk)


def _abonnement_gere(request, pk):
    return get_object_or_404(
        Abonnement.objects.filter(geres_par(Abonnement, request.user)).select_related("programme"),
        pk=pk,
    )


def _contexte_liste(programme, form):
    return {
        "programme": programme,
        "form": form,
        "abonnements": Abonnement.objects.filter(programme=programme).order_by("pk"),
    }


@permission_requise(ACCES)
def liste(request, pk):
    programme = _programme_gere(request, pk)
    form = AbonnementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        abonnement, refus = executer(
            request,
            lambda: services.creer_abonnement(
                programme,
                par=request.user,
                url=form.cleaned_data["url"],
                evenements=form.cleaned_data["evenements"],
            ),
            gabarit=GABARIT_LISTE,
            contexte=lambda: _contexte_liste(programme, form),
            formulaire=form,
            champ="url",
            succes=_("Le webhook est ajouté. Copiez son secret pour vérifier les signatures."),
        )
        return refus or redirect("crochets:webhook", pk=abonnement.pk)
    return render(
        request,
        GABARIT_LISTE,
        _contexte_liste(programme, form),
        status=400 if form.errors else 200,
    )


def _contexte_detail(request, abonnement, form):
    livraisons = Livraison.objects.filter(abonnement=abonnement).order_by("-creee_le", "-pk")
    return {
        "programme": abonnement.programme,
        "abonnement": abonnement,
        "form": form,
        "page": Paginator(livraisons, LIVRAISONS_PAR_PAGE).get_page(request.GET.get("page")),
    }


def _formulaire_initial(abonnement):
    return ModifierAbonnementForm(
        initial={
            "url": abonnement.url,
            "evenements": abonnement.evenements,
            "actif": abonnement.actif,
        }
    )


@permission_requise(ACCES)
def webhook(request, pk):
    abonnement = _abonnement_gere(request, pk)
    if request.method != "POST":
        return render(
            request,
            GABARIT_DETAIL,
            _contexte_detail(request, abonnement, _formulaire_initial(abonnement)),
        )
    form = ModifierAbonnementForm(request.POST)
    if not form.is_valid():
        return render(
            request, GABARIT_DETAIL, _contexte_detail(request, abonnement, form), status=400
        )
    _resultat, refus = executer(
        request,
        lambda: services.modifier_abonnement(abonnement, par=request.user, **form.cleaned_data),
        gabarit=GABARIT_DETAIL,
        contexte=lambda: _contexte_detail(request, abonnement, form),
        formulaire=form,
        champ="url",
        succes=_("Le webhook est enregistré."),
    )
    return refus or redirect("crochets:webhook", pk=abonnement.pk)


def _action(request, pk, action, succes):
    """Une action POST sur un webhook, puis retour à sa page (ou refus lisible)."""
    abonnement = _abonnement_gere(request, pk)
    _resultat, refus = executer(
        request,
        lambda: action(abonnement, par=request.user),
        gabarit=GABARIT_DETAIL,
        contexte=lambda: _contexte_detail(request, abonnement, _formulaire_initial(abonnement)),
        succes=succes,
    )
    return refus


@require_POST
@permission_requise(ACCES)
def regenerer_secret(request, pk):
    refus = _action(
        request,
        pk,
        services.regenerer_secret,
        _("Le secret est régénéré : donnez le nouveau au partenaire, l'ancien ne signe plus rien."),
    )
    return refus or redirect("crochets:webhook", pk=pk)


@require_POST
@permission_requise(ACCES)
def tester(request, pk):
    refus = _action(
        request,
        pk,
        services.envoyer_test,
        _(
            "Le test (ping) part dans un instant : son résultat s'affiche dans le journal "
            "ci-dessous."
        ),
    )
    return refus or redirect("crochets:webhook", pk=pk)


@require_POST
@permission_requise(ACCES)
def supprimer(request, pk):
    abonnement = _abonnement_gere(request, pk)
    programme_pk = abonnement.programme_id
    refus = _action(request, pk, services.supprimer_abonnement, _("Le webhook est supprimé."))
    return refus or redirect("crochets:webhooks", pk=programme_pk)


@require_POST
@permission_requise(ACCES)
def renvoyer(request, pk):
    livraison = get_object_or_404(
        Livraison.objects.filter(geres_par(Livraison, request.user)).select_related(
            "abonnement__programme"
        ),
        pk=pk,
    )
    abonnement = livraison.abonnement
    _resultat, refus = executer(
        request,
        lambda: services.renvoyer(livraison, par=request.user),
        gabarit=GABARIT_DETAIL,
        contexte=lambda: _contexte_detail(request, abonnement, _formulaire_initial(abonnement)),
        succes=_(
            "La livraison est renvoyée, avec un nouvel identifiant : une nouvelle ligne "
            "s'ajoute au journal."
        ),
    )
    return refus or redirect("crochets:webhook", pk=abonnement.pk)
