"""Après la publication des résultats : la lettre de décision à télécharger, le retrait d'un
lauréat (par sa structure, ou par un gestionnaire pour elle) et la liste d'attente.

La lettre se lit par la structure et par les gestionnaires du programme ; toute autre
personne ne trouve pas la candidature (404)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidatures.selectors import appels_geres_par, candidatures_visibles_par
from evaluation import lettres, selectors, services
from evaluation.forms import PromotionForm, RetraitLaureatForm
from evaluation.models import Decision, Deliberation
from noyau.decorateurs import permission_requise
from noyau.fichiers import servir_fichier
from noyau.refus import executer

ACCES = "comptes.acceder_gestion"


@login_required
def lettre(request, pk):
    """La lettre de décision gardée à la publication, en téléchargement."""
    candidature = get_object_or_404(candidatures_visibles_par(request.user), pk=pk)
    if not request.user.has_perm("evaluation.lire_lettre_decision", candidature):
        raise PermissionDenied(
            _("Seules la structure et l'équipe du programme lisent cette lettre.")
        )
    decision = Decision.objects.filter(candidature=candidature).exclude(lettre="").first()
    if decision is None:
        raise Http404("Aucune lettre de décision n'a encore été envoyée pour cette candidature.")
    return servir_fichier(
        decision.lettre, nom=lettres.nom_lettre(candidature), type_mime="application/pdf"
    )


def _retirer(request, candidature, *, retour, apres):
    """La page de confirmation et son envoi, communs à la structure et au gestionnaire."""
    gabarit = "evaluation/retrait_laureat.html"
    form = RetraitLaureatForm(request.POST or None)
    contexte = {"candidature": candidature, "form": form, "retour": retour}
    if candidature.etat != "retenue":
        messages.error(
            request,
            _("La candidature est « %(etat)s » : seule une candidature retenue se retire ici.")
            % {"etat": candidature.get_etat_display()},
        )
        return render(request, gabarit, {**contexte, "form": None}, status=409)
    if request.method != "POST":
        return render(request, gabarit, contexte)
    if not form.is_valid():
        return render(request, gabarit, contexte, status=400)
    candidature, reponse = executer(
        request,
        lambda: services.retirer_laureat(
            candidature, par=request.user, motif=form.cleaned_data["motif"]
        ),
        gabarit=gabarit,
        contexte=contexte,
    )
    if reponse:
        return reponse
    return apres(candidature, selectors.liste_attente(candidature.appel).first())


@login_required
def retirer_laureat(request, pk):
    """La structure retire sa candidature retenue (elle renonce à l'accompagnement)."""
    candidature = get_object_or_404(
        candidatures_visibles_par(request.user).select_related("appel__programme", "structure"),
        pk=pk,
    )
    if not rules.test_rule("est_membre_de_la_structure", request.user, candidature):
        raise PermissionDenied(
            _(
                "Cette page est celle de la structure ; l'équipe du programme retire un lauréat "
                "depuis le back office."
            )
        )

    def apres(candidature, _suivante):
        messages.success(
            request,
            _(
                "Votre candidature est retirée : l'accompagnement s'arrête et votre place est "
                "libérée. L'équipe du programme est prévenue."
            ),
        )
        return redirect("candidatures:candidature", pk=candidature.pk)

    return _retirer(
        request,
        candidature,
        retour=("candidatures:candidature", candidature.pk),
        apres=apres,
    )


@permission_requise(ACCES)
def gestion_retirer_laureat(request, pk):
    """Un gestionnaire retire une candidature retenue pour la structure, puis se voit proposer
    la suivante de la liste d'attente."""
    candidature = get_object_or_404(
        candidatures_visibles_par(request.user).select_related("appel__programme", "structure"),
        pk=pk,
    )
    if not rules.test_rule("gere_le_programme", request.user, candidature):
        raise PermissionDenied(_("Cette page est réservée aux gestionnaires du programme."))

    def apres(candidature, suivante):
        if suivante is None:
            message = _("La candidature de %(nom)s est retirée ; sa place est libre.") % {
                "nom": candidature.structure.nom
            }
        else:
            message = _(
                "La candidature de %(nom)s est retirée ; sa place est libre. "
                "Suivante sur la liste d'attente : %(suivante)s (rang %(rang)s)."
            ) % {
                "nom": candidature.structure.nom,
                "suivante": suivante.candidature.structure.nom,
                "rang": suivante.rang_liste_attente,
            }
        messages.success(request, message)
        return redirect("evaluation:gestion_liste_attente", pk=candidature.appel_id)

    return _retirer(
        request,
        candidature,
        retour=("candidatures:gestion_candidature", candidature.pk),
        apres=apres,
    )


def _contexte_liste_attente(appel, form=None):
    attente = list(selectors.liste_attente(appel))
    retenues = selectors.places_occupees(appel)
    return {
        "appel": appel,
        "attente": attente,
        "suivante": attente[0] if attente else None,
        "retenues": retenues,
        "places_prises": appel.nombre_places is not None and retenues >= appel.nombre_places,
        "form": form or PromotionForm(),
    }


def _appel_publie(request, pk):
    appel = get_object_or_404(appels_geres_par(request.user).select_related("programme"), pk=pk)
    if not Deliberation.objects.filter(appel=appel, publiee_le__isnull=False).exists():
        raise Http404("La liste d'attente se forme à la publication des résultats.")
    return appel


@permission_requise(ACCES)
def liste_attente(request, pk):
    appel = _appel_publie(request, pk)
    return render(request, "evaluation/gestion/liste_attente.html", _contexte_liste_attente(appel))


@require_POST
@permission_requise(ACCES)
def promouvoir(request, pk):
    appel = _appel_publie(request, pk)
    gabarit = "evaluation/gestion/liste_attente.html"
    form = PromotionForm(request.POST)
    if not form.is_valid():
        return render(request, gabarit, _contexte_liste_attente(appel, form), status=400)
    candidature, reponse = executer(
        request,
        lambda: services.promouvoir_liste_attente(
            appel,
            par=request.user,
            motif=form.cleaned_data["motif"],
            depasser_places=form.cleaned_data["depasser_places"],
            motif_depassement=form.cleaned_data["motif_depassement"],
        ),
        gabarit=gabarit,
        contexte=lambda: _contexte_liste_attente(appel, form),
    )
    if reponse:
        return reponse
    messages.success(request, _("%(nom)s est retenue.") % {"nom": candidature.structure.nom})
    return redirect("evaluation:gestion_liste_attente", pk=appel.pk)
