"""Les champs que l'activité offre au modèle d'un programme du rappel « Pensez à saisir votre
activité du mois ».

Chaque valeur est mise en forme ici, en texte : un modèle ne reçoit jamais d'objet."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accompagnement.enums import EtatPlan
from accompagnement.models import PlanAccompagnement
from messagerie.catalogue import Champ

CHAMPS_SAISIE = (
    Champ("structure", _("Structure accompagnée"), lambda c: c["structure"].nom),
    Champ("programme", _("Nom du programme"), lambda c: c["plan"].programme.nom),
    Champ(
        "lien",
        _("Adresse de la page d'activité de la structure"),
        lambda c: c["site_url"] + reverse("activite:activite", args=[c["structure"].pk]),
    ),
)


def exemple_de_plan_actif(id_programme):
    """Le contexte du dernier plan actif du programme (sinon du dernier plan), pour l'aperçu."""
    plans = (
        PlanAccompagnement.objects.filter(programme_id=id_programme)
        .select_related("structure", "programme")
        .order_by("-pk")
    )
    plan = plans.filter(etat=EtatPlan.ACTIF).first() or plans.first()
    if plan is None:
        return None
    return {"plan": plan, "structure": plan.structure, "site_url": settings.SITE_URL}
