"""Les kits remis aux structures et la sensibilisation à l'écosystème partenaire, qui font
leurs jalons."""

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from accompagnement.enums import TypeJalon
from accompagnement.models import Kit, RemiseKit, SensibilisationEcosysteme
from accompagnement.services._commun import le, verrouiller_plan
from accompagnement.services.jalons import commencer_en_suite, completer
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import DonneesRefusees
from noyau.transitions import exiger

DUREE_DU_PLAN_MOIS = 16


def periode_du_plan(plan, jalons=None):
    """(premier, dernier jour) où un fait du plan peut être daté : du démarrage aux 16 mois
    de l'accompagnement, ou jusqu'à sa dernière échéance si elle a été repoussée au-delà.
    `jalons` : tous ceux du plan, déjà lus (la page du plan) ; sans eux, l'échéance est lue."""
    fin = plan.date_debut + relativedelta(months=DUREE_DU_PLAN_MOIS)
    if jalons is None:
        derniere = plan.jalons.aggregate(derniere=Max("echeance"))["derniere"]
    else:
        derniere = max((j.echeance for j in jalons if j.echeance is not None), default=None)
    return plan.date_debut, max(fin, derniere) if derniere else fin


def kits_remis(plan, remises=None, kits=None):
    """(kits remis, kits prévus au catalogue du programme) pour ce plan. `remises` (toutes
    celles du plan, avec leur kit) et `kits` (le catalogue du programme), déjà lus par la page
    du plan, évitent de les compter en base."""
    if remises is None or kits is None:
        prevus = Kit.objects.filter(programme_id=plan.programme_id)
        remis = RemiseKit.objects.filter(plan=plan, kit__in=prevus).count()
        return remis, prevus.count()
    return sum(1 for remise in remises if remise.kit.programme_id == plan.programme_id), len(kits)


def remettre_kit(plan, *, par, kit, date):
    """Note la remise d'un kit à la structure (une fois par kit), journalisée.

    Le jalon « kits » commence à la première remise et n'est fait qu'une fois remis tous les
    kits du catalogue du programme. La date doit tomber dans la période du plan."""
    debut, fin = periode_du_plan(plan)
    if not debut <= date <= fin:
        raise DonneesRefusees(
            gettext(
                "La date de remise doit tomber pendant l'accompagnement, du %(debut)s au %(fin)s."
            )
            % {"debut": le(debut), "fin": le(fin)}
        )
    with transaction.atomic():
        plan = verrouiller_plan(plan)
        exiger(par, "accompagnement.remettre_kit", plan)
        if kit.programme_id != plan.programme_id:
            raise DonneesRefusees(gettext("Ce kit n'est pas au catalogue du programme de ce plan."))
        remise, creee = RemiseKit.objects.get_or_create(
            kit=kit, plan=plan, defaults={"date": date, "remis_par": par}
        )
        if creee:
            journaliser(TypeEvenement.KIT_REMIS, cible=plan, acteur=par, donnees={"kit": kit.nom})
            remis, prevus = kits_remis(plan)
            description = f"Kit remis : {kit.nom} ({remis} sur {prevus})"
            if remis >= prevus:
                completer(plan, TypeJalon.KITS, par=par, description=description)
            else:
                commencer_en_suite(plan, TypeJalon.KITS, par=par, description=description)
    return remise


def enregistrer_sensibilisation(programme, *, par, plans, **champs):
    """Enregistre la séance de sensibilisation à l'écosystème ; elle complète le jalon
    « écosystème » de chaque plan présent."""
    exiger(par, "accompagnement.gerer_programme", programme)
    plans = list(plans)
    if not plans:
        raise DonneesRefusees(gettext("Choisissez au moins une structure présente."))
    with transaction.atomic():
        seance = SensibilisationEcosysteme.objects.create(
            programme=programme, creee_par=par, **champs
        )
        seance.plans.set(plans)
        journaliser(TypeEvenement.SENSIBILISATION_ENREGISTREE, cible=seance, acteur=par)
        for plan in plans:
            completer(
                plan,
                TypeJalon.ECOSYSTEME,
                par=par,
                description=f"Sensibilisation à l'écosystème du {le(seance.date)}",
            )
    return seance
