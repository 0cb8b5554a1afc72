"""Le fil de discussion d'un plan d'accompagnement, déclaré au registre d'`echanges` : la
structure (ses membres actifs), son coach et les gestionnaires du programme."""

from django.urls import reverse

from accompagnement import selectors
from accompagnement.models import PlanAccompagnement
from echanges.registre import TypeDeFil, declarer


def _equipe(plan):
    equipe = list(plan.programme.gestionnaires.filter(is_active=True).order_by("email"))
    if plan.coach is not None and plan.coach.is_active and plan.coach not in equipe:
        equipe.append(plan.coach)
    return equipe


FIL_DE_PLAN = declarer(
    TypeDeFil(
        cle="plan",
        modele=PlanAccompagnement,
        cote_structure=lambda plan: plan.structure.membres_actifs(),
        cote_equipe=_equipe,
        regle_lire="accompagnement.lire_fil",
        regle_ecrire="accompagnement.ecrire_fil",
        visibles_par=selectors.plans_visibles_par,
        # La structure et l'équipe lisent le plan sur la même page.
        page=lambda plan, cote: reverse("accompagnement:plan", args=[plan.pk]),
        intitule=lambda plan: f"{plan.structure.nom} — {plan.programme.nom}",
    )
)
