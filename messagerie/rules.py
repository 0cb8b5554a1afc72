import rules

from comptes.rules import est_gestionnaire

rules.add_perm("messagerie.voir_messages", est_gestionnaire)
rules.add_perm("messagerie.renvoyer_message", est_gestionnaire)
