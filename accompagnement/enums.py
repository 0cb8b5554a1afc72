from django.db import models
from django.utils.translation import gettext_lazy as _


class EtatPlan(models.TextChoices):
    CADRAGE = "cadrage", _("Cadrage")
    ACTIF = "actif", _("Actif")
    CLOTURE_EN_COURS = "cloture_en_cours", _("Clôture en cours")
    CLOS = "clos", _("Clos")
    ABANDONNE = "abandonne", _("Abandonné")


# Un plan qui vit encore : ses jalons peuvent être dus, relancés, complétés.
ETATS_PLAN_OUVERTS = [EtatPlan.CADRAGE, EtatPlan.ACTIF, EtatPlan.CLOTURE_EN_COURS]


class EtatJalon(models.TextChoices):
    PREVU = "prevu", _("Prévu")
    EN_COURS = "en_cours", _("En cours")
    FAIT = "fait", _("Fait")
    ANNULE = "annule", _("Annulé")


# Un jalon qui reste à faire ; passé son échéance, il est « en retard » (jamais stocké).
ETATS_JALON_A_FAIRE = [EtatJalon.PREVU, EtatJalon.EN_COURS]


class Avancement(models.TextChoices):
    """L'état affiché d'un jalon sur la frise : l'état stocké, plus « en retard » déduit de
    l'échéance à une date donnée."""

    FAIT = "fait", _("Fait")
    EN_COURS = "en_cours", _("En cours")
    PREVU = "prevu", _("Prévu")
    EN_RETARD = "en_retard", _("En retard")
    ANNULE = "annule", _("Annulé")


class TypeJalon(models.TextChoices):
    LANCEMENT = "lancement", _("Réunion de lancement")
    DIAGNOSTIC = "diagnostic", _("Diagnostic des besoins")
    PLAN_ACCOMPAGNEMENT = "plan_accompagnement", _("Plan d'accompagnement validé")
    FORMATION_1 = "formation_1", _("Formation 1")
    FORMATION_2 = "formation_2", _("Formation 2")
    KITS = "kits", _("Remise des kits d'ateliers")
    ECOSYSTEME = "ecosysteme", _("Sensibilisation à l'écosystème partenaire")
    ATELIERS = "ateliers", _("Ateliers et parcours animés par la structure")
    BILAN_MI_PARCOURS = "bilan_mi_parcours", _("Bilan à mi-parcours")
    COMITE_CLOTURE = "comite_cloture", _("Comité de clôture")
    AUTRE = "autre", _("Autre")


TYPES_JALON_FORMATION = [TypeJalon.FORMATION_1, TypeJalon.FORMATION_2]
