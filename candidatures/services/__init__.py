"""Les écritures des appels, des structures et des candidatures, par agrégat :
`appels` (vie d'un appel, copie), `formulaire` (règles, questions, pièces demandées),
`structures` (profil, collègues, invitations), `candidatures` (brouillon, dépôt, instruction,
retrait).

Chaque service relit la ligne sous verrou, vérifie la règle django-rules, fait passer les
changements d'état par `noyau.transitions.appliquer_transition` (le journal garde
l'acteur et le motif), enregistre les champs touchés et met les courriels dans la boîte
d'envoi, partis au commit. Les refus lèvent une erreur de `noyau.erreurs` avec un message en
français ; rien n'est écrit à moitié.

`from candidatures import services; services.publier_appel(...)` : les fonctions publiques
sont reprises ici.
"""

from candidatures.services.appels import (
    clore_appel,
    clore_appels_echus,
    creer_appel,
    dupliquer_appel,
    modifier_appel,
    publier_appel,
    refus_de_reouverture,
    rouvrir_appel,
    slug_libre,
)
from candidatures.services.candidatures import (
    CHAMPS_DU_DEPOT,
    commencer_candidature,
    declarer_irrecevable,
    declarer_recevable,
    declarer_recevables,
    demander_complement,
    deposer_candidature,
    enregistrer_reponses,
    forcer_eligibilite,
    instantane_eligibilite,
    joindre_fichier,
    redeposer_candidature,
    retirer_candidature,
    retirer_fichier,
)
from candidatures.services.formulaire import (
    deplacer_dans_le_formulaire,
    enregistrer_formulaire_appel,
    enregistrer_regles,
)
from candidatures.services.structures import (
    accepter_invitation_structure,
    creer_structure,
    inviter_dans_structure,
    modifier_structure,
    trouver_invitation_structure,
)

__all__ = [
    "CHAMPS_DU_DEPOT",
    "accepter_invitation_structure",
    "clore_appel",
    "clore_appels_echus",
    "commencer_candidature",
    "creer_appel",
    "creer_structure",
    "declarer_irrecevable",
    "declarer_recevable",
    "declarer_recevables",
    "demander_complement",
    "deplacer_dans_le_formulaire",
    "deposer_candidature",
    "dupliquer_appel",
    "enregistrer_formulaire_appel",
    "enregistrer_regles",
    "enregistrer_reponses",
    "forcer_eligibilite",
    "instantane_eligibilite",
    "inviter_dans_structure",
    "joindre_fichier",
    "modifier_appel",
    "modifier_structure",
    "publier_appel",
    "redeposer_candidature",
    "refus_de_reouverture",
    "retirer_candidature",
    "retirer_fichier",
    "rouvrir_appel",
    "slug_libre",
    "trouver_invitation_structure",
]
