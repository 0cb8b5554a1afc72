"""Le cadrage d'un plan : le diagnostic et le plan d'actions, remplis à deux et validés par le
coach et par la structure ; validé des deux côtés, il fait ses jalons et active le plan."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accompagnement.enums import EtatPlan, TypeJalon
from accompagnement.models import ActionPrevue, Cadrage
from accompagnement.services._commun import verrouiller_plan
from accompagnement.services.jalons import completer
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise
from noyau.transitions import REFUS_PAR_DEFAUT, SUITE_D_UNE_ACTION, appliquer_transition, exiger


def cadrage_de(plan):
    cadrage, _ = Cadrage.objects.get_or_create(plan=plan)
    return cadrage


def enregistrer_cadrage(plan, *, par, champs, actions):
    """Enregistre le diagnostic et le plan d'actions (remplacé en entier par `actions` : des
    dictionnaires libelle/echeance/responsable). Toute modification efface les validations
    déjà données : chacun valide le texte qu'il a lu. Refusé une fois validé par les deux."""
    with transaction.atomic():
        plan = verrouiller_plan(plan)
        exiger(par, "accompagnement.remplir_cadrage", plan)
        cadrage = Cadrage.objects.select_for_update().filter(plan=plan).first() or (
            Cadrage.objects.create(plan=plan)
        )
        if cadrage.est_valide:
            raise ActionImpossible(
                gettext(
                    "Le plan d'accompagnement est déjà validé par le coach et par la structure : "
                    "il n'est plus modifiable."
                )
            )
        for champ, valeur in champs.items():
            setattr(cadrage, champ, valeur)
        cadrage.valide_par_coach = cadrage.valide_par_structure = None
        cadrage.valide_par_coach_le = cadrage.valide_par_structure_le = None
        cadrage.save()
        cadrage.actions.all().delete()
        ActionPrevue.objects.bulk_create(ActionPrevue(cadrage=cadrage, **a) for a in actions)
        journaliser(TypeEvenement.CADRAGE_ENREGISTRE, cible=plan, acteur=par)
    return cadrage


def valider_cadrage(plan, *, par):
    """Le coach ou la structure valide le plan d'accompagnement (selon qui est `par`).

    Quand les deux l'ont validé : les jalons « diagnostic » et « plan d'accompagnement » sont
    faits et le plan passe de cadrage à actif. Journalisé.
    """
    with transaction.atomic():
        plan = verrouiller_plan(plan)
        cadrage = Cadrage.objects.select_for_update().filter(plan=plan).first()
        maintenant = timezone.now()
        if par.has_perm("accompagnement.valider_cadrage_coach", plan):
            cote = "coach"
        elif par.has_perm("accompagnement.valider_cadrage_structure", plan):
            cote = "structure"
        else:
            raise ActionNonPermise(str(REFUS_PAR_DEFAUT))
        if cadrage is None or cadrage.manques:
            manques = (
                cadrage.manques if cadrage else [gettext("Le diagnostic n'est pas encore rempli.")]
            )
            raise ActionImpossible(
                gettext("Le plan ne peut pas encore être validé : %(manques)s")
                % {"manques": " ".join(manques)}
            )
        if getattr(cadrage, f"valide_par_{cote}_le") is not None:
            raise ActionImpossible(gettext("Vous avez déjà validé ce plan d'accompagnement."))
        setattr(cadrage, f"valide_par_{cote}", par)
        setattr(cadrage, f"valide_par_{cote}_le", maintenant)
        cadrage.save(update_fields=[f"valide_par_{cote}", f"valide_par_{cote}_le"])
        journaliser(
            TypeEvenement.PLAN_ACTIONS_VALIDE, cible=plan, acteur=par, donnees={"par": cote}
        )
        if cadrage.est_valide:
            description = "Plan d'accompagnement validé par le coach et la structure"
            for type_jalon in (TypeJalon.DIAGNOSTIC, TypeJalon.PLAN_ACCOMPAGNEMENT):
                completer(plan, type_jalon, par=par, description=description)
            if plan.etat == EtatPlan.CADRAGE:
                appliquer_transition(
                    plan,
                    "activer",
                    par=par,
                    motif=description,
                    permission=SUITE_D_UNE_ACTION,
                    verrou=False,
                )
    return cadrage
