"""« Pensez à saisir votre activité » : chaque mois de la phase active, aux structures qui n'ont
encore rien enregistré ce mois-là."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.enums import EtatPlan
from accompagnement.models import PlanAccompagnement
from activite.models import Action
from activite.textes import CHAMPS_SAISIE, exemple_de_plan_actif
from messagerie.catalogue import Categorie, Courriel, Echeance, TexteDuProgramme, declarer

# Le moteur ne relance qu'une fois par (type, objet, décalage, personne). Pour une relance par
# mois sur le même plan, les décalages se comptent depuis une origine fixe : un décalage par
# mois, le JOUR_DU_RAPPEL de ce mois, et le plus récent atteint est celui du mois en cours.
ORIGINE = datetime.date(2020, 1, 1)
JOUR_DU_RAPPEL = 20
DECALAGES_MENSUELS = tuple(
    (datetime.date(annee, mois, JOUR_DU_RAPPEL) - ORIGINE).days
    for annee in range(ORIGINE.year, ORIGINE.year + 60)
    for mois in range(1, 13)
)


def _plans_sans_activite_ce_mois(maintenant, fenetre):
    aujourd_hui = timezone.localdate(maintenant)
    if aujourd_hui.day < JOUR_DU_RAPPEL:
        return PlanAccompagnement.objects.none()
    debut_du_mois = aujourd_hui.replace(day=1)
    activite_du_mois = Action.objects.filter(
        structure_id=OuterRef("structure_id"), date_debut__gte=debut_du_mois
    )
    return (
        PlanAccompagnement.objects.filter(etat=EtatPlan.ACTIF)
        .exclude(Exists(activite_du_mois))
        .select_related("structure", "programme")
        .prefetch_related("structure__membres")
        .order_by("pk")
    )


def _membres_de_la_structure(plan):
    return plan.structure.membres_actifs()


SAISIE_ACTIVITE = declarer(
    Courriel(
        code="saisie_activite",
        libelle=_("Pensez à saisir votre activité du mois"),
        declencheur=Echeance(
            objets=_plans_sans_activite_ce_mois,
            date_reference=lambda plan: ORIGINE,
            decalages=DECALAGES_MENSUELS,
            # Le rappel du mois reste dû jusqu'à la fin du mois (un plan activé le 25 l'a aussi).
            rattrapage_jours=11,
        ),
        categorie=Categorie.ACTIVITE,
        destinataires=_membres_de_la_structure,
        gabarit="relances/saisie_activite",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_SAISIE,
            sujet=_("[Relais] Pensez à saisir votre activité du mois"),
            corps=_(
                "Bonjour,\n\n"
                "Aucun atelier, aucune permanence ni aucun parcours n'est encore enregistré ce "
                "mois-ci pour {{ structure }}. Si vous en avez mené, pensez à les saisir : le "
                "bilan de fin d'accompagnement se calcule à partir de vos saisies.\n\n"
                "Saisir une séance ou importer votre tableur : {{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_plan_actif,
            pied="emails/relances/pied_relance.txt",
        ),
        contexte=lambda plan: {"structure": plan.structure, "plan": plan},
    )
)
