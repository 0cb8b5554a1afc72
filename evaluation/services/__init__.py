"""Les écritures du jury et de la délibération.

Chaque service relit sous verrou (`select_for_update`) ce qu'il change, vérifie la règle
django-rules de l'action, journalise l'acteur et le motif, et met les courriels dans la boîte
d'envoi (partis au commit). Les refus lèvent une erreur de `noyau.erreurs` avec un
message en français ; rien n'est écrit à moitié. Chaque changement d'état passe par
`noyau.transitions.appliquer_transition`, qui envoie `transition_appliquee` : les suites
dans d'autres applications (le plan d'accompagnement d'un lauréat) s'y branchent.

Un seul ordre de verrous pour tout ce qui touche aux notes et aux décisions : la ligne de
l'appel d'abord, puis ce que l'écriture change (l'affectation du membre, le jury, la grille,
la délibération). Déclarer un conflit, enregistrer ou valider des notes, répartir les
candidatures, changer la grille ou les réglages du jury, enregistrer la séance ou les
décisions et changer l'étape de l'appel passent donc l'un après l'autre sur un même appel, et
chacun relit après ses verrous ce qui fonde le droit (état de l'appel, date limite,
déclaration du membre, notes déjà saisies) : une note ne s'écrit ni après un conflit déclaré,
ni après l'ouverture de la délibération, ni après la date limite avancée ; une répartition ne
retire pas une affectation déjà notée ; la grille ne change pas sous des notes ; ni la
séance, ni le procès-verbal, ni une décision ne se réécrivent après la publication.

Un module par agrégat : `jury` (le jury, sa grille, ses membres, ses réglages),
`affectations`, `notation` (le lancement, les conflits et les notes), `deliberation` (la
séance et les décisions), `resultats` (la publication, la liste d'attente, le retrait d'un
lauréat, les lettres). Ce paquet les réunit : les appelants écrivent `services.x(...)`.
"""

from evaluation.services.affectations import (
    Repartition,
    affecter,
    affecter_a_la_main,
    repartition_equilibree,
    retirer_affectation,
)
from evaluation.services.deliberation import (
    MOTIF_ECART,
    MOTIF_NON_RETENUE,
    SEANCE_DANS_LE_FUTUR,
    enregistrer_decisions,
    enregistrer_seance,
    message_quorum_non_atteint,
    motifs_manquants,
    ouvrir_deliberation,
    problemes_des_decisions,
)
from evaluation.services.jury import (
    ETATS_APPEL_JURY_OUVERT,
    ajouter_membre,
    enregistrer_grille,
    preparer_jury,
    rattacher_au_compte,
    regler_jury,
)
from evaluation.services.notation import (
    EVALUATION_PAS_COMMENCEE,
    PLUS_CONFIEE_DECLARATION,
    PLUS_CONFIEE_NOTES,
    REFUS_DECLARATION,
    REFUS_NOTATION,
    declarer_conflit,
    enregistrer_notes,
    lancer_evaluation,
    message_recusation,
)
from evaluation.services.resultats import (
    MOTIF_DEPASSEMENT_MANQUANT,
    MOTIF_RETRAIT_MANQUANT,
    promouvoir_liste_attente,
    publier_resultats,
    retirer_laureat,
)

__all__ = [
    "ETATS_APPEL_JURY_OUVERT",
    "EVALUATION_PAS_COMMENCEE",
    "MOTIF_DEPASSEMENT_MANQUANT",
    "MOTIF_ECART",
    "MOTIF_NON_RETENUE",
    "MOTIF_RETRAIT_MANQUANT",
    "PLUS_CONFIEE_DECLARATION",
    "PLUS_CONFIEE_NOTES",
    "REFUS_DECLARATION",
    "REFUS_NOTATION",
    "SEANCE_DANS_LE_FUTUR",
    "Repartition",
    "affecter",
    "affecter_a_la_main",
    "ajouter_membre",
    "declarer_conflit",
    "enregistrer_decisions",
    "enregistrer_grille",
    "enregistrer_notes",
    "enregistrer_seance",
    "lancer_evaluation",
    "message_quorum_non_atteint",
    "message_recusation",
    "motifs_manquants",
    "ouvrir_deliberation",
    "preparer_jury",
    "problemes_des_decisions",
    "promouvoir_liste_attente",
    "publier_resultats",
    "rattacher_au_compte",
    "regler_jury",
    "repartition_equilibree",
    "retirer_affectation",
    "retirer_laureat",
]
