"""Les comptes de démonstration, un par rôle (mot de passe commun, affiché au lancement)."""

from comptes.enums import Role

MOT_DE_PASSE_DEMO = "relais-demo-2026"

COMPTES_DEMO = [
    ("gestionnaire@demo.relais.test", "Gaëlle", "Gestion", Role.GESTIONNAIRE),
    ("candidat@demo.relais.test", "Camille", "Candidat", Role.CANDIDAT),
    ("jury@demo.relais.test", "Jules", "Jury", Role.MEMBRE_JURY),
    ("coach@demo.relais.test", "Chloé", "Coach", Role.COACH),
    ("observateur@demo.relais.test", "Omar", "Observateur", Role.OBSERVATEUR),
]
