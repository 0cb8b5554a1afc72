"""Côté structure : son équipe de référents et leurs inscriptions aux sessions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from accompagnement import selectors, services
from accompagnement.forms import ReferentForm
from noyau.refus import executer


def _contexte(request, plan, form=None):
    inscrits = {}
    sessions = list(plan.sessions_formation.select_related("formation").order_by("date", "pk"))
    maintenant = timezone.now()
    for session in sessions:
        session.ids_inscrits = set(session.inscriptions.values_list("referent_id", flat=True))
        session.a_commence = maintenant >= services.debut_de_la_session(session)
        inscrits[session.pk] = session.ids_inscrits
    return {
        "plan": plan,
        "referents": plan.structure.referents.all(),
        "sessions": sessions,
        "form": form or ReferentForm(),
        "peut_gerer": request.user.has_perm("accompagnement.gerer_referents", plan),
        "peut_desinscrire": request.user.has_perm("accompagnement.desinscrire_referent", plan),
    }


@login_required
def referents(request, pk):
    plan = get_object_or_404(
        selectors.plans_visibles_par(request.user).select_related("structure", "programme"),
        pk=pk,
    )
    if request.method != "POST":
        return render(request, "accompagnement/structure/referents.html", _contexte(request, plan))
    form = ReferentForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accompagnement/structure/referents.html",
            _contexte(request, plan, form),
            status=400,
        )
    referent, refus = executer(
        request,
        lambda: services.ajouter_referent(plan, par=request.user, **form.cleaned_data),
        gabarit="accompagnement/structure/referents.html",
        contexte=lambda: _contexte(request, plan, form),
    )
    if refus is not None:
        return refus
    messages.success(
        request, gettext("%(nom)s est ajouté·e à l'équipe.") % {"nom": referent.nom_complet}
    )
    return redirect("accompagnement:referents", pk=plan.pk)


@login_required
def mes_plans(request):
    """« Mon accompagnement » : le plan de sa structure, ou la liste s'il y en a plusieurs."""
    plans = list(
        selectors.plans_visibles_par(request.user)
        .filter(structure__adhesions__utilisateur=request.user)
        .select_related("structure", "programme")
    )
    if len(plans) == 1:
        return redirect("accompagnement:plan", pk=plans[0].pk)
    return render(request, "accompagnement/structure/mes_plans.html", {"plans": plans})
