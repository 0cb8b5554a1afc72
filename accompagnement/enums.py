from django.db import models


class EtatPlan(models.TextChoices):
    CADRAGE = "cadrage", "Cadrage"
    ACTIF = "actif", "Actif"
    CLOTURE_EN_COURS = "cloture_en_cours", "Clôture en cours"
    CLOS = "clos", "Clos"
    ABANDONNE = "abandonne", "Abandonné"


# Un plan qui vit encore : ses jalons peuvent être dus, relancés, complétés.
ETATS_PLAN_OUVERTS = [EtatPlan.CADRAGE, EtatPlan.ACTIF, EtatPlan.CLOTURE_EN_COURS]


class EtatJalon(models.TextChoices):
    PREVU = "prevu", "Prévu"
    EN_COURS = "en_cours", "En cours"
    FAIT = "fait", "Fait"
    ANNULE = "annule", "Annulé"


# Un jalon qui reste à faire ; passé son échéance, il est « en retard » (jamais stocké).
ETATS_JALON_A_FAIRE = [EtatJalon.PREVU, EtatJalon.EN_COURS]


class Avancement(models.TextChoices):
    """L'état affiché d'un jalon sur la frise : l'état stocké, plus « en retard » déduit de
    l'échéance à une date donnée."""

    FAIT = "fait", "Fait"
    EN_COURS = "en_cours", "En cours"
    PREVU = "prevu", "Prévu"
    EN_RETARD = "en_retard", "En retard"
    ANNULE = "annule", "Annulé"


class TypeJalon(models.TextChoices):
    LANCEMENT = "lancement", "Réunion de lancement"
    DIAGNOSTIC = "diagnostic", "Diagnostic des besoins"
    PLAN_ACCOMPAGNEMENT = "plan_accompagnement", "Plan d'accompagnement validé"
    FORMATION_1 = "formation_1", "Formation 1"
    FORMATION_2 = "formation_2", "Formation 2"
    KITS = "kits", "Remise des kits d'ateliers"
    ECOSYSTEME = "ecosysteme", "Sensibilisation à l'écosystème partenaire"
    ATELIERS = "ateliers", "Ateliers et parcours animés par la structure"
    BILAN_MI_PARCOURS = "bilan_mi_parcours", "Bilan à mi-parcours"
    COMITE_CLOTURE = "comite_cloture", "Comité de clôture"
    AUTRE = "autre", "Autre"


TYPES_JALON_FORMATION = [TypeJalon.FORMATION_1, TypeJalon.FORMATION_2]
