from django.db import models
from django.utils.translation import gettext_lazy as _


class ModeAffectation(models.TextChoices):
    TOUS = "tous", _("Chaque membre note chaque candidature recevable")
    AUTOMATIQUE = "automatique", _("Répartition automatique équilibrée")


class OrigineAffectation(models.TextChoices):
    AUTOMATIQUE = "automatique", _("Automatique")
    MANUELLE = "manuelle", _("À la main")


class TypeConflit(models.TextChoices):
    SALARIE = "salarie", _("Salarié ou salariée de la structure")
    ELU = "elu", _("Élu ou élue de la commune ou de la structure")
    FAMILLE = "famille", _("Lien familial")
    PARTENAIRE = "partenaire", _("Partenaire de la structure")
    AUTRE = "autre", _("Autre")


class EtatEvaluation(models.TextChoices):
    BROUILLON = "brouillon", _("Brouillon")
    VALIDEE = "validee", _("Validée")


class SensDecision(models.TextChoices):
    """Les décisions de délibération, de la meilleure à la moins bonne (l'ordre compte :
    il sert à repérer une décision qui s'écarte du classement)."""

    RETENUE = "retenue", _("Retenue")
    LISTE_ATTENTE = "liste_attente", _("Liste d'attente")
    NON_RETENUE = "non_retenue", _("Non retenue")


NIVEAU_DECISION = {
    SensDecision.RETENUE: 0,
    SensDecision.LISTE_ATTENTE: 1,
    SensDecision.NON_RETENUE: 2,
}

# Le nom de la transition de la candidature pour chaque décision.
TRANSITION_DECISION = {
    SensDecision.RETENUE: "retenir",
    SensDecision.LISTE_ATTENTE: "mettre_en_liste_attente",
    SensDecision.NON_RETENUE: "ne_pas_retenir",
}

# La grille par défaut du premier cas : (intitulé, aide, poids, maximum).
GRILLE_PAR_DEFAUT = [
    (
        "Adéquation du projet avec l'appel",
        "Le projet répond-il aux objectifs de l'appel : rendre la structure autonome pour "
        "animer des ateliers numériques ?",
        3,
        5,
    ),
    (
        "Public éloigné du numérique touché",
        "La structure accueille-t-elle des personnes en difficulté avec le numérique, et combien ?",
        3,
        5,
    ),
    (
        "Capacité à libérer du temps des référents",
        "Des professionnels identifiés pourront-ils suivre les formations et animer ensuite ?",
        2,
        5,
    ),
    (
        "Partenariats locaux",
        "La structure s'appuie-t-elle sur des acteurs du territoire (médiathèque, France "
        "services, associations) ?",
        1,
        5,
    ),
    (
        "Besoin du territoire",
        "L'offre d'accompagnement numérique existante sur la commune est-elle insuffisante ?",
        1,
        5,
    ),
]
