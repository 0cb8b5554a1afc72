"""Le comité de clôture : planifié, il fixe l'échéance des jalons de clôture et engage la
clôture des plans actifs ; son compte rendu fait ces jalons et clôt les plans."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accompagnement.enums import ETATS_JALON_A_FAIRE, EtatJalon, EtatPlan, TypeJalon
from accompagnement.models import ComiteCloture, Jalon, PlanAccompagnement
from accompagnement.services._commun import le
from accompagnement.services.jalons import changer_echeance, terminer_en_suite
from crochets.evenements import CodeEvenement
from crochets.services import signaler
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.transitions import SUITE_D_UNE_ACTION, appliquer_transition, exiger, motif_obligatoire


def planifier_comite(programme, *, par, plans, date, **champs):
    """Fixe le comité de clôture des plans donnés : leurs jalons « comité de clôture » y sont
    liés et prennent sa date pour échéance (journalisé) ; les plans actifs passent en clôture.
    """
    exiger(par, "accompagnement.gerer_programme", programme)
    plans = list(plans)
    if not plans:
        raise DonneesRefusees(gettext("Choisissez au moins un plan examiné par le comité."))
    with transaction.atomic():
        comite = ComiteCloture.objects.create(programme=programme, date=date, **champs)
        jalons = list(
            Jalon.objects.select_for_update()
            .filter(plan__in=plans, type=TypeJalon.COMITE_CLOTURE)
            .exclude(etat=EtatJalon.ANNULE)
        )
        comite.jalons.set(jalons)
        for jalon in jalons:
            changer_echeance(jalon, date, par=par, motif=f"Comité de clôture fixé au {le(date)}")
        for plan in PlanAccompagnement.objects.select_for_update().filter(
            pk__in=[p.pk for p in plans], etat=EtatPlan.ACTIF
        ):
            appliquer_transition(
                plan,
                "engager_cloture",
                par=par,
                motif=f"Comité de clôture le {le(date)}",
                permission=SUITE_D_UNE_ACTION,
                verrou=False,
            )
        journaliser(TypeEvenement.COMITE_PLANIFIE, cible=comite, acteur=par)
    return comite


def enregistrer_compte_rendu(comite, *, par, compte_rendu):
    """Enregistre le compte rendu du comité ; ses jalons de clôture sont faits et ses plans
    en clôture sont clos."""
    compte_rendu = motif_obligatoire(compte_rendu, gettext("Le compte rendu est obligatoire."))
    with transaction.atomic():
        comite = ComiteCloture.objects.select_for_update().get(pk=comite.pk)
        exiger(par, "accompagnement.gerer_programme", comite)
        if comite.date > timezone.localdate():
            raise ActionImpossible(
                gettext("Le comité a lieu le %(jour)s : son compte rendu vient après.")
                % {"jour": le(comite.date)}
            )
        comite.compte_rendu = compte_rendu
        comite.compte_rendu_le = timezone.now()
        comite.save(update_fields=["compte_rendu", "compte_rendu_le"])
        description = f"Comité de clôture du {le(comite.date)}"
        ids_plans = set()
        for jalon in comite.jalons.select_for_update().filter(etat__in=ETATS_JALON_A_FAIRE):
            terminer_en_suite(jalon, par=par, description=description)
            ids_plans.add(jalon.plan_id)
        ids_plans |= set(comite.jalons.values_list("plan_id", flat=True))
        for plan in PlanAccompagnement.objects.select_for_update().filter(
            pk__in=ids_plans, etat=EtatPlan.CLOTURE_EN_COURS
        ):
            appliquer_transition(
                plan,
                "clore",
                par=par,
                motif=description,
                permission=SUITE_D_UNE_ACTION,
                verrou=False,
            )
            signaler(CodeEvenement.PLAN_CLOS, plan)
        journaliser(TypeEvenement.COMPTE_RENDU_COMITE, cible=comite, acteur=par)
    return comite
