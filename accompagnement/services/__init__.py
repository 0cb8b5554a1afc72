"""Les écritures de l'accompagnement, par agrégat : `plans` (création, redatage, coach,
abandon), `jalons` (transitions, échéances, preuves), `cadrage` (diagnostic et plan
d'actions), `formations` (sessions, référents, inscriptions, émargement), `kits` (kits et
sensibilisation à l'écosystème), `comite` (comité de clôture).

Chaque service relit la ligne sous verrou (`select_for_update`), vérifie la règle
django-rules de l'action et passe toute transition par `noyau.transitions.appliquer_transition`
(le journal garde l'acteur et le motif) ; les courriels vont dans la boîte d'envoi,
partis au commit. Les refus lèvent une erreur de `noyau.erreurs` avec un message en français ;
rien n'est écrit à moitié. Les appelants gardent `from accompagnement import services` puis
`services.x(...)`.
"""

from accompagnement.services.cadrage import cadrage_de, enregistrer_cadrage, valider_cadrage
from accompagnement.services.comite import enregistrer_compte_rendu, planifier_comite
from accompagnement.services.formations import (
    ajouter_referent,
    creer_session,
    debut_de_la_session,
    desinscrire_referent,
    enregistrer_emargement,
    inscrire_referent,
)
from accompagnement.services.jalons import (
    ajouter_preuve,
    annuler_jalon,
    commencer_jalon,
    modifier_echeance,
    terminer_jalon,
)
from accompagnement.services.kits import (
    DUREE_DU_PLAN_MOIS,
    enregistrer_sensibilisation,
    kits_remis,
    periode_du_plan,
    remettre_kit,
)
from accompagnement.services.plans import (
    abandonner_plan,
    abandonner_plan_du_laureat_retire,
    affecter_coach,
    catalogue_du_programme,
    coachs_disponibles,
    creer_plan_pour,
    creer_plans_cohorte,
    enregistrer_modele,
    modele_du_programme,
)

__all__ = [
    "DUREE_DU_PLAN_MOIS",
    "abandonner_plan",
    "abandonner_plan_du_laureat_retire",
    "affecter_coach",
    "ajouter_preuve",
    "ajouter_referent",
    "annuler_jalon",
    "cadrage_de",
    "catalogue_du_programme",
    "coachs_disponibles",
    "commencer_jalon",
    "creer_plan_pour",
    "creer_plans_cohorte",
    "creer_session",
    "debut_de_la_session",
    "desinscrire_referent",
    "enregistrer_cadrage",
    "enregistrer_compte_rendu",
    "enregistrer_emargement",
    "enregistrer_modele",
    "enregistrer_sensibilisation",
    "inscrire_referent",
    "kits_remis",
    "modele_du_programme",
    "modifier_echeance",
    "periode_du_plan",
    "planifier_comite",
    "remettre_kit",
    "terminer_jalon",
    "valider_cadrage",
]
