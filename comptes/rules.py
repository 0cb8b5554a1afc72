"""Permissions de compte (django-rules) ; les prédicats de rôle sont dans `noyau.roles`."""

import rules

from noyau.roles import est_gestionnaire

rules.add_perm("comptes.acceder_gestion", est_gestionnaire)
rules.add_perm("comptes.inviter", est_gestionnaire)
