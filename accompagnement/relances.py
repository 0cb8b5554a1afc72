"""Les relances de l'accompagnement, branchées sur le moteur de `relances`.

Chaque sélecteur ne lit que les objets de la fenêtre que le moteur calcule d'après les décalages
en vigueur, réglages des gestionnaires compris (un index couvre état et échéance des jalons) :
le balayage reste rapide sur des centaines de milliers de jalons.
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.enums import ETATS_JALON_A_FAIRE, ETATS_PLAN_OUVERTS
from accompagnement.models import ComiteCloture, Inscription, Jalon, PlanAccompagnement
from relances.registre import TypeRelance, enregistrer


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


def _jalons_a_echeance_proche(maintenant, fenetre):
    return _jalons_a_faire().filter(fenetre.filtre("echeance"))


def _jalons_en_retard(maintenant, fenetre):
    # Dû le lendemain de l'échéance puis chaque semaine (par défaut) : seules les échéances de
    # ces jours-là, et de ceux du rattrapage, sont lues.
    return _jalons_a_faire().filter(fenetre.filtre("echeance"))


def _contexte_jalon(jalon):
    return {"jalon": jalon, "plan": jalon.plan, "structure": jalon.plan.structure}


JALON_ECHEANCE_PROCHE = enregistrer(
    TypeRelance(
        code="jalon_echeance_proche",
        libelle=_("Étape d'accompagnement à échéance dans sept jours"),
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
        libelle=_("Étape d'accompagnement en retard (chaque semaine)"),
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


def _inscriptions_a_venir(maintenant, fenetre):
    return (
        Inscription.objects.filter(fenetre.filtre("session__date"))
        .select_related("session__formation__programme", "referent__structure")
        .prefetch_related("referent__structure__membres")
        .order_by("pk")
    )


CONVOCATION_FORMATION = enregistrer(
    TypeRelance(
        code="convocation_formation",
        libelle=_("Rappel de convocation d'un référent à une formation (J-7, J-1)"),
        gabarit="relances/convocation_formation",
        objets=_inscriptions_a_venir,
        date_reference=lambda inscription: inscription.session.date,
        # Les référents n'ont pas de compte : le rappel va aux comptes de leur structure.
        destinataires=lambda inscription: [
            m for m in inscription.referent.structure.membres.all() if m.is_active
        ],
        decalages=(-7, -1),
        # Inscrit à trois jours de la session, le référent a sa convocation : pas de J-7.
        debut=lambda inscription: timezone.localdate(inscription.inscrit_le),
        essentielle=True,
        raison_essentielle=_(
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


def _comites_a_venir(maintenant, fenetre):
    plans = PlanAccompagnement.objects.select_related("coach", "structure").prefetch_related(
        "structure__membres"
    )
    return (
        ComiteCloture.objects.filter(fenetre.filtre("date"))
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
        libelle=_("Invitation au comité de clôture"),
        gabarit="relances/invitation_comite_cloture",
        objets=_comites_a_venir,
        date_reference=lambda comite: comite.date,
        destinataires=_invites_du_comite,
        decalages=(-21, -2),
        essentielle=True,
        raison_essentielle=_("Elle vous invite au comité qui clôt votre accompagnement."),
        contexte=lambda comite: {
            "comite": comite,
            "structures": sorted({jalon.plan.structure.nom for jalon in comite.jalons.all()}),
        },
        portees=lambda comite: [comite.programme],
        portees_modeles=("candidatures.programme",),
    )
)
