import rules

from noyau.roles import est_gestionnaire

rules.add_perm("relances.voir_relances", est_gestionnaire)
