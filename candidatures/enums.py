from django.db import models


class EtatAppel(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    OUVERT = "ouvert", "Ouvert"
    CLOS = "clos", "Clos"
    EN_EVALUATION = "en_evaluation", "En évaluation"
    EN_DELIBERATION = "en_deliberation", "En délibération"
    DECIDE = "decide", "Décidé"
    ARCHIVE = "archive", "Archivé"


# Un appel dont on ne touche plus ni les questions ni les règles : des candidatures existent.
ETATS_APPEL_PASSES = [
    EtatAppel.CLOS,
    EtatAppel.EN_EVALUATION,
    EtatAppel.EN_DELIBERATION,
    EtatAppel.DECIDE,
    EtatAppel.ARCHIVE,
]


class EtatCandidature(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    DEPOSEE = "deposee", "Déposée"
    A_COMPLETER = "a_completer", "À compléter"
    IRRECEVABLE = "irrecevable", "Irrecevable"
    RECEVABLE = "recevable", "Recevable"
    RETENUE = "retenue", "Retenue"
    LISTE_ATTENTE = "liste_attente", "Sur liste d'attente"
    NON_RETENUE = "non_retenue", "Non retenue"
    RETIREE = "retiree", "Retirée"


# La structure peut encore modifier ses réponses et ses pièces.
ETATS_MODIFIABLES = [EtatCandidature.BROUILLON, EtatCandidature.A_COMPLETER]

# Aucune décision n'est encore prise : la structure peut retirer sa candidature.
ETATS_AVANT_DECISION = [
    EtatCandidature.BROUILLON,
    EtatCandidature.DEPOSEE,
    EtatCandidature.A_COMPLETER,
    EtatCandidature.RECEVABLE,
]

# Déposée au moins une fois (le récépissé existe).
ETATS_DEPOSES = [
    EtatCandidature.DEPOSEE,
    EtatCandidature.A_COMPLETER,
    EtatCandidature.IRRECEVABLE,
    EtatCandidature.RECEVABLE,
    EtatCandidature.RETENUE,
    EtatCandidature.LISTE_ATTENTE,
    EtatCandidature.NON_RETENUE,
]


class TypeQuestion(models.TextChoices):
    TEXTE_COURT = "texte_court", "Texte court"
    TEXTE_LONG = "texte_long", "Texte long"
    CHOIX_UNIQUE = "choix_unique", "Choix unique"
    CHOIX_MULTIPLE = "choix_multiple", "Choix multiple"
    NOMBRE = "nombre", "Nombre"
    DATE = "date", "Date"
    OUI_NON = "oui_non", "Oui / non"
    FICHIER = "fichier", "Fichier"


TYPES_QUESTION_A_CHOIX = [TypeQuestion.CHOIX_UNIQUE, TypeQuestion.CHOIX_MULTIPLE]
