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


def a_le_role(utilisateur, role):
    """Vrai si le compte a ce rôle. Les rôles se lisent sur l'utilisateur (`roles`, la copie
    des noms de ses groupes sur sa ligne, tenue exacte par `comptes.roles`) : aucune requête,
    où qu'on le demande dans la requête. Un visiteur anonyme n'a aucun rôle."""
    return role in getattr(utilisateur, "roles", ())


def _predicat_de_role(role):
    @rules.predicate(name=f"a_le_role:{role}")
    def predicat(utilisateur):
        return a_le_role(utilisateur, role)

    return predicat


est_gestionnaire = _predicat_de_role(Role.GESTIONNAIRE)
est_candidat = _predicat_de_role(Role.CANDIDAT)
est_membre_jury = _predicat_de_role(Role.MEMBRE_JURY)
est_coach = _predicat_de_role(Role.COACH)
est_observateur = _predicat_de_role(Role.OBSERVATEUR)
