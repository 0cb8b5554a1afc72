"""Qui peut faire quoi sur les plans d'accompagnement (django-rules).

Un coach agit sur les plans qui lui sont confiés, une structure sur le sien, un gestionnaire sur
tous ceux de ses programmes. Chaque permission sert la vue, le `permission=` de la transition
et l'affichage du bouton. Les prédicats reçoivent un objet ou None, et disent non à None.
"""

import rules

from accompagnement.enums import ETATS_JALON_A_FAIRE, ETATS_PLAN_OUVERTS
from accompagnement.models import Cadrage, Jalon, PlanAccompagnement
from noyau.perimetre import gere, ids_structures
from noyau.roles import est_coach, est_gestionnaire


def _plan(objet):
    if isinstance(objet, PlanAccompagnement):
        return objet
    if isinstance(objet, (Jalon, Cadrage)):
        return objet.plan
    return None


@rules.predicate
def gere_le_programme_du_plan(utilisateur, objet):
    plan = _plan(objet)
    return plan is not None and gere(utilisateur, plan)


@rules.predicate
def gere_le_programme(utilisateur, objet):
    """Pour les objets rattachés directement à un programme (formation, session, comité)."""
    return gere(utilisateur, objet)


@rules.predicate
def est_coach_du_plan(utilisateur, objet):
    plan = _plan(objet)
    return plan is not None and utilisateur.is_authenticated and plan.coach_id == utilisateur.pk


@rules.predicate
def est_la_structure_du_plan(utilisateur, objet):
    plan = _plan(objet)
    return plan is not None and plan.structure_id in ids_structures(utilisateur)


@rules.predicate
def plan_ouvert(utilisateur, objet):
    plan = _plan(objet)
    return plan is not None and plan.etat in ETATS_PLAN_OUVERTS


@rules.predicate
def jalon_a_faire(utilisateur, jalon):
    return jalon is not None and jalon.etat in ETATS_JALON_A_FAIRE


@rules.predicate
def anime_la_session(utilisateur, session):
    return (
        session is not None
        and utilisateur.is_authenticated
        and (session.formateur_id == utilisateur.pk)
    )


@rules.predicate
def structure_invitee_a_la_session(utilisateur, session):
    if session is None:
        return False
    mes_structures = ids_structures(utilisateur)
    return any(plan.structure_id in mes_structures for plan in session.plans.all())


gestionnaire_du_plan = est_gestionnaire & gere_le_programme_du_plan
coach_du_plan = est_coach & est_coach_du_plan
gestionnaire_du_programme = est_gestionnaire & gere_le_programme

# Plans
rules.add_perm("accompagnement.gerer_plan", gestionnaire_du_plan)
rules.add_perm("accompagnement.faire_avancer_plan", gestionnaire_du_plan | coach_du_plan)
rules.add_perm("accompagnement.voir_frise", est_coach | est_gestionnaire)
# Notes privées (annotations.registre) : gestionnaires du programme et coach du plan, jamais la
# structure ; les étiquettes se posent avec `gerer_plan`.
rules.add_perm("accompagnement.annoter_plan", gestionnaire_du_plan | coach_du_plan)

# Jalons : coach et gestionnaire font avancer ; la structure peut apporter des preuves.
rules.add_perm(
    "accompagnement.faire_avancer_jalon",
    (gestionnaire_du_plan | coach_du_plan) & plan_ouvert,
)
rules.add_perm(
    "accompagnement.modifier_echeance", (gestionnaire_du_plan | coach_du_plan) & plan_ouvert
)
rules.add_perm(
    "accompagnement.ajouter_preuve",
    (gestionnaire_du_plan | coach_du_plan | est_la_structure_du_plan) & plan_ouvert,
)

# Cadrage : rempli à deux, validé par chacun des deux.
rules.add_perm(
    "accompagnement.remplir_cadrage", (coach_du_plan | est_la_structure_du_plan) & plan_ouvert
)
rules.add_perm("accompagnement.valider_cadrage_coach", coach_du_plan & plan_ouvert)
rules.add_perm("accompagnement.valider_cadrage_structure", est_la_structure_du_plan & plan_ouvert)

# Référents et inscriptions (côté structure)
rules.add_perm("accompagnement.gerer_referents", est_la_structure_du_plan & plan_ouvert)
# Désinscrire un référent de la session : sa structure, son coach, le gestionnaire (sur le plan
# de sa structure) ; le service vérifie en plus que la session n'a pas commencé.
rules.add_perm(
    "accompagnement.desinscrire_referent",
    (est_la_structure_du_plan | coach_du_plan | gestionnaire_du_plan) & plan_ouvert,
)
rules.add_perm(
    "accompagnement.inscrire_a_la_session",
    structure_invitee_a_la_session | gestionnaire_du_programme,
)

# Formations, sessions, kits, écosystème, comité (programme)
rules.add_perm("accompagnement.gerer_programme", gestionnaire_du_programme)
rules.add_perm("accompagnement.emarger", anime_la_session | gestionnaire_du_programme)
rules.add_perm("accompagnement.remettre_kit", (gestionnaire_du_plan | coach_du_plan) & plan_ouvert)

# Fil de discussion d'un plan (echanges) : sa structure, son coach, les gestionnaires.
rules.add_perm(
    "accompagnement.lire_fil", est_la_structure_du_plan | coach_du_plan | gestionnaire_du_plan
)
rules.add_perm(
    "accompagnement.ecrire_fil", est_la_structure_du_plan | coach_du_plan | gestionnaire_du_plan
)
