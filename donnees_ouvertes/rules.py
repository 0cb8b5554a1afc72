"""Qui publie les indicateurs d'une cohorte en données ouvertes (django-rules) : les
gestionnaires du programme de l'appel. Lire un jeu publié ne demande aucun droit."""

import rules

from candidatures.rules import est_gestionnaire_du_programme
from noyau.roles import est_gestionnaire

rules.add_perm("donnees_ouvertes.publier", est_gestionnaire_du_programme)
rules.add_perm("donnees_ouvertes.gerer_publications", est_gestionnaire)
