"""Les prédicats de rôle, nommés pour `{% test_rule %}` (chargé par AutodiscoverRulesConfig)."""

import rules

from noyau.roles import (
    est_candidat,
    est_coach,
    est_gestionnaire,
    est_membre_jury,
    est_observateur,
)

rules.add_rule("est_gestionnaire", est_gestionnaire)
rules.add_rule("est_candidat", est_candidat)
rules.add_rule("est_membre_jury", est_membre_jury)
rules.add_rule("est_coach", est_coach)
rules.add_rule("est_observateur", est_observateur)
