"""Les suites, dans l'accompagnement, des décisions prises sur une candidature.

Une candidature retenue (à la publication des résultats ou par une promotion de la liste
d'attente) reçoit son plan d'accompagnement ; un lauréat retiré voit le sien abandonné. Ces
suites sont branchées sur le signal `transition_appliquee` de la transition de la
candidature, donc dans sa transaction : l'évaluation, qui décide, n'importe pas
l'accompagnement. Branchées par `AccompagnementConfig.ready()`.
"""

from django.dispatch import receiver

from accompagnement.services import abandonner_plan_du_laureat_retire, creer_plan_pour
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from noyau.transitions import transition_appliquee


@receiver(transition_appliquee, sender=Candidature, dispatch_uid="accompagnement.plan_du_laureat")
def plan_du_laureat(sender, *, objet, source, cible, par, motif, **_arguments):
    """Retenue : le plan et ses jalons (une seule fois). Retenue puis retirée : le plan ouvert
    est abandonné, avec le motif du retrait."""
    if cible == EtatCandidature.RETENUE:
        creer_plan_pour(objet, par=par)
    elif source == EtatCandidature.RETENUE and cible == EtatCandidature.RETIREE:
        abandonner_plan_du_laureat_retire(objet, par=par, motif=motif)
