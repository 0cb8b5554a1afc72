"""Permissions sur les données de référence (django-rules)."""

import rules

from noyau.roles import est_gestionnaire

rules.add_perm("territoires.importer_referentiel", est_gestionnaire)
