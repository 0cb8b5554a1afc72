"""Prédicats de rôle et permissions de compte (django-rules)."""

import rules

from comptes.enums import Role

est_gestionnaire = rules.is_group_member(Role.GESTIONNAIRE)
est_candidat = rules.is_group_member(Role.CANDIDAT)
est_membre_jury = rules.is_group_member(Role.MEMBRE_JURY)
est_coach = rules.is_group_member(Role.COACH)
est_observateur = rules.is_group_member(Role.OBSERVATEUR)

rules.add_rule("est_gestionnaire", est_gestionnaire)
rules.add_rule("est_candidat", est_candidat)
rules.add_rule("est_membre_jury", est_membre_jury)
rules.add_rule("est_coach", est_coach)
rules.add_rule("est_observateur", est_observateur)

rules.add_perm("comptes.acceder_gestion", est_gestionnaire)
rules.add_perm("comptes.inviter", est_gestionnaire)
