from django.db import models


class ModeAffectation(models.TextChoices):
    TOUS = "tous", "Chaque membre note chaque candidature recevable"
    AUTOMATIQUE = "automatique", "Répartition automatique équilibrée"


class OrigineAffectation(models.TextChoices):
    AUTOMATIQUE = "automatique", "Automatique"
    MANUELLE = "manuelle", "À la main"


class TypeConflit(models.TextChoices):
    SALARIE = "salarie", "Salarié ou salariée de la structure"
    ELU = "elu", "Élu ou élue de la commune ou de la structure"
    FAMILLE = "famille", "Lien familial"
    PARTENAIRE = "partenaire", "Partenaire de la structure"
    AUTRE = "autre", "Autre"


class EtatEvaluation(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    VALIDEE = "validee", "Validée"


class SensDecision(models.TextChoices):
    """Les décisions de délibération, de la meilleure à la moins bonne (l'ordre compte :
    il sert à repérer une décision qui s'écarte du classement)."""

    RETENUE = "retenue", "Retenue"
    LISTE_ATTENTE = "liste_attente", "Liste d'attente"
    NON_RETENUE = "non_retenue", "Non retenue"


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
