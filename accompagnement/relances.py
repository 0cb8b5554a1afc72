"""Les relances de l'accompagnement, branchées sur le moteur de `relances`.

Chaque sélecteur ne lit que les objets de sa fenêtre d'échéance (un index couvre état et
échéance des jalons) : le balayage reste rapide sur des centaines de milliers de jalons.
"""

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from accompagnement.enums import ETATS_JALON_A_FAIRE, ETATS_PLAN_OUVERTS
from accompagnement.models import ComiteCloture, Inscription, Jalon, PlanAccompagnement
from relances.registre import TypeRelance, enregistrer

# Le retard est relancé chaque semaine pendant au plus ce nombre de semaines (bien plus qu'un
# plan de 16 mois) ; un jour de tolérance rattrape un balayage manqué.
SEMAINES_DE_RETARD_SUIVIES = 80


def _jalons_a_faire():
    return (
        Jalon.objects.filter(etat__in=ETATS_JALON_A_FAIRE, plan__etat__in=ETATS_PLAN_OUVERTS)
        .select_related("plan__structure", "plan__coach", "plan__programme")
        .prefetch_related("plan__structure__membres")
        .order_by("pk")
    )


def _personnes_du_plan(plan):
    personnes = [membre for membre in plan.structure.membres.all() if membre.is_active]
    if plan.coach is not None and plan.coach.is_active:
        personnes.insert(0, plan.coach)
    return personnes


def _jalons_a_echeance_proche(maintenant):
    aujourd_hui = timezone.localdate(maintenant)
    return _jalons_a_faire().filter(
        echeance__gte=aujourd_hui, echeance__lte=aujourd_hui + timedelta(days=7)
    )


def _jalons_en_retard(maintenant):
    # Un jalon est dû le lendemain de son échéance puis toutes les semaines : seules ces
    # échéances-là (et la veille, pour un balayage manqué) sont lues.
    aujourd_hui = timezone.localdate(maintenant)
    echeances = []
    for semaine in range(SEMAINES_DE_RETARD_SUIVIES):
        jour_du = aujourd_hui - timedelta(days=1 + 7 * semaine)
        echeances += [jour_du, jour_du - timedelta(days=1)]
    return _jalons_a_faire().filter(echeance__in=echeances)


def _contexte_jalon(jalon):
    return {"jalon": jalon, "plan": jalon.plan, "structure": jalon.plan.structure}


JALON_ECHEANCE_PROCHE = enregistrer(
    TypeRelance(
        code="jalon_echeance_proche",
        libelle="Étape d'accompagnement à échéance dans sept jours",
        gabarit="relances/jalon_echeance_proche",
        objets=_jalons_a_echeance_proche,
        date_reference=lambda jalon: jalon.echeance,
        destinataires=lambda jalon: _personnes_du_plan(jalon.plan),
        decalages=(-7,),
        contexte=_contexte_jalon,
        portees=lambda jalon: [jalon.plan.programme],
        portees_modeles=("candidatures.programme",),
    )
)

JALON_EN_RETARD = enregistrer(
    TypeRelance(
        code="jalon_en_retard",
        libelle="Étape d'accompagnement en retard (chaque semaine)",
        gabarit="relances/jalon_en_retard",
        objets=_jalons_en_retard,
        date_reference=lambda jalon: jalon.echeance,
        destinataires=lambda jalon: _personnes_du_plan(jalon.plan),
        decalages=(1,),
        repetition_jours=7,
        contexte=_contexte_jalon,
        portees=lambda jalon: [jalon.plan.programme],
        portees_modeles=("candidatures.programme",),
    )
)


def _inscriptions_a_venir(maintenant):
    aujourd_hui = timezone.localdate(maintenant)
    return (
        Inscription.objects.filter(
            session__date__gte=aujourd_hui, session__date__lte=aujourd_hui + timedelta(days=7)
        )
        .select_related("session__formation__programme", "referent__structure")
        .prefetch_related("referent__structure__membres")
        .order_by("pk")
    )


CONVOCATION_FORMATION = enregistrer(
    TypeRelance(
        code="convocation_formation",
        libelle="Rappel de convocation d'un référent à une formation (J-7, J-1)",
        gabarit="relances/convocation_formation",
        objets=_inscriptions_a_venir,
        date_reference=lambda inscription: inscription.session.date,
        # Les référents n'ont pas de compte : le rappel va aux comptes de leur structure.
        destinataires=lambda inscription: [
            m for m in inscription.referent.structure.membres.all() if m.is_active
        ],
        decalages=(-7, -1),
        essentielle=True,
        raison_essentielle=(
            "Elle rappelle une formation à laquelle un référent de votre structure est inscrit."
        ),
        contexte=lambda inscription: {
            "inscription": inscription,
            "session": inscription.session,
            "referent": inscription.referent,
        },
        portees=lambda inscription: [inscription.session.formation.programme],
        portees_modeles=("candidatures.programme",),
    )
)


def _comites_a_venir(maintenant):
    aujourd_hui = timezone.localdate(maintenant)
    plans = PlanAccompagnement.objects.select_related("coach", "structure").prefetch_related(
        "structure__membres"
    )
    return (
        ComiteCloture.objects.filter(
            date__gte=aujourd_hui, date__lte=aujourd_hui + timedelta(days=21)
        )
        .select_related("programme")
        .prefetch_related(
            "programme__gestionnaires",
            Prefetch("jalons", queryset=Jalon.objects.prefetch_related(Prefetch("plan", plans))),
        )
        .order_by("pk")
    )


def _invites_du_comite(comite):
    invites = {}
    for gestionnaire in comite.programme.gestionnaires.all():
        invites[gestionnaire.pk] = gestionnaire
    for jalon in comite.jalons.all():
        for personne in _personnes_du_plan(jalon.plan):
            invites[personne.pk] = personne
    return [personne for personne in invites.values() if personne.is_active]


INVITATION_COMITE_CLOTURE = enregistrer(
    TypeRelance(
        code="invitation_comite_cloture",
        libelle="Invitation au comité de clôture",
        gabarit="relances/invitation_comite_cloture",
        objets=_comites_a_venir,
        date_reference=lambda comite: comite.date,
        destinataires=_invites_du_comite,
        decalages=(-21, -2),
        essentielle=True,
        raison_essentielle="Elle vous invite au comité qui clôt votre accompagnement.",
        contexte=lambda comite: {
            "comite": comite,
            "structures": sorted({jalon.plan.structure.nom for jalon in comite.jalons.all()}),
        },
        portees=lambda comite: [comite.programme],
        portees_modeles=("candidatures.programme",),
    )
)
