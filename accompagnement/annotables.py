"""Les plans d'accompagnement s'inscrivent aux notes privées et aux étiquettes
(`annotations`, en dessous) : les gestionnaires du programme et le coach du plan y lisent et
écrivent ; seuls les gestionnaires étiquettent. La structure, qui partage la page du plan, n'y
a jamais accès."""

from django.urls import reverse

from accompagnement.models import PlanAccompagnement
from annotations.registre import Annotable, declarer

declarer(
    Annotable(
        code="plan",
        modele=PlanAccompagnement,
        lire="accompagnement.annoter_plan",
        ecrire="accompagnement.annoter_plan",
        etiqueter="accompagnement.gerer_plan",
        page=lambda plan: reverse("accompagnement:plan", args=[plan.pk]),
        selection="plans",
        libelle=lambda plan: plan.structure.nom,
    )
)
