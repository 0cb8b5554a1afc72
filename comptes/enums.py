from django.db import models


class Role(models.TextChoices):
    """Les rôles de Relais ; chacun est un groupe Django du même nom."""

    GESTIONNAIRE = "gestionnaire", "Gestionnaire de programme"
    CANDIDAT = "candidat", "Structure candidate"
    MEMBRE_JURY = "membre_jury", "Membre du jury"
    COACH = "coach", "Coach"
    OBSERVATEUR = "observateur", "Observateur partenaire"


# Rôles que l'on rejoint sur invitation d'un gestionnaire (les structures s'inscrivent seules).
ROLES_SUR_INVITATION = [
    Role.GESTIONNAIRE,
    Role.MEMBRE_JURY,
    Role.COACH,
    Role.OBSERVATEUR,
]
