from django.db import models
from django.utils.translation import gettext_lazy as _


class EtatAppel(models.TextChoices):
    BROUILLON = "brouillon", _("Brouillon")
    OUVERT = "ouvert", _("Ouvert")
    CLOS = "clos", _("Clos")
    EN_EVALUATION = "en_evaluation", _("En évaluation")
    EN_DELIBERATION = "en_deliberation", _("En délibération")
    DECIDE = "decide", _("Décidé")
    ARCHIVE = "archive", _("Archivé")


# Un appel dont on ne touche plus ni les questions ni les règles : des candidatures existent.
ETATS_APPEL_PASSES = [
    EtatAppel.CLOS,
    EtatAppel.EN_EVALUATION,
    EtatAppel.EN_DELIBERATION,
    EtatAppel.DECIDE,
    EtatAppel.ARCHIVE,
]


class EtatCandidature(models.TextChoices):
    BROUILLON = "brouillon", _("Brouillon")
    DEPOSEE = "deposee", _("Déposée")
    A_COMPLETER = "a_completer", _("À compléter")
    IRRECEVABLE = "irrecevable", _("Irrecevable")
    RECEVABLE = "recevable", _("Recevable")
    RETENUE = "retenue", _("Retenue")
    LISTE_ATTENTE = "liste_attente", _("Sur liste d'attente")
    NON_RETENUE = "non_retenue", _("Non retenue")
    RETIREE = "retiree", _("Retirée")


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
    TEXTE_COURT = "texte_court", _("Texte court")
    TEXTE_LONG = "texte_long", _("Texte long")
    CHOIX_UNIQUE = "choix_unique", _("Choix unique")
    CHOIX_MULTIPLE = "choix_multiple", _("Choix multiple")
    NOMBRE = "nombre", _("Nombre")
    DATE = "date", _("Date")
    OUI_NON = "oui_non", _("Oui / non")
    FICHIER = "fichier", _("Fichier")


TYPES_QUESTION_A_CHOIX = [TypeQuestion.CHOIX_UNIQUE, TypeQuestion.CHOIX_MULTIPLE]
