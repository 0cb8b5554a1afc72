"""Les rôles de Relais (chacun un groupe Django du même nom) et leurs prédicats django-rules
(nommés pour les gabarits dans `noyau/rules.py`)."""

import rules
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Les rôles de Relais ; chacun est un groupe Django du même nom."""

    GESTIONNAIRE = "gestionnaire", _("Gestionnaire de programme")
    CANDIDAT = "candidat", _("Structure candidate")
    MEMBRE_JURY = "membre_jury", _("Membre du jury")
    COACH = "coach", _("Coach")
    OBSERVATEUR = "observateur", _("Observateur partenaire")


# Rôles que l'on rejoint sur invitation d'un gestionnaire (les structures s'inscrivent seules).
ROLES_SUR_INVITATION = [
    Role.GESTIONNAIRE,
    Role.MEMBRE_JURY,
    Role.COACH,
    Role.OBSERVATEUR,
]


est_gestionnaire = rules.is_group_member(Role.GESTIONNAIRE)
est_candidat = rules.is_group_member(Role.CANDIDAT)
est_membre_jury = rules.is_group_member(Role.MEMBRE_JURY)
est_coach = rules.is_group_member(Role.COACH)
est_observateur = rules.is_group_member(Role.OBSERVATEUR)
