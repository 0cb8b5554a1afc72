"""Les comptes de démonstration, un par rôle (mot de passe commun, affiché au lancement)."""

from noyau.roles import Role

MOT_DE_PASSE_DEMO = "relais-demo-2026"

COMPTES_DEMO = [
    ("gestionnaire@demo.relais.test", "Gaëlle", "Gestion", Role.GESTIONNAIRE),
    ("candidat@demo.relais.test", "Camille", "Candidat", Role.CANDIDAT),
    # Une structure lauréate : le côté structure de l'accompagnement et de l'activité.
    ("laureate@demo.relais.test", "Lina", "Lauréate", Role.CANDIDAT),
    ("jury@demo.relais.test", "Jules", "Jury", Role.MEMBRE_JURY),
    ("coach@demo.relais.test", "Chloé", "Coach", Role.COACH),
    ("observateur@demo.relais.test", "Omar", "Observateur", Role.OBSERVATEUR),
]

# La structure pour laquelle agit chaque compte de structure, dite au lancement.
STRUCTURE_DU_COMPTE = {
    "candidat@demo.relais.test": "Association Clic'Solidaire (fictive), candidate",
    "laureate@demo.relais.test": "CCAS de Houplines, lauréate 2022",
}
