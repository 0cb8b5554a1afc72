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

# Les questions dont la réponse peut afficher ou masquer une question suivante.
TYPES_QUESTION_CONDITIONNANTE = [
    TypeQuestion.CHOIX_UNIQUE,
    TypeQuestion.CHOIX_MULTIPLE,
    TypeQuestion.OUI_NON,
]
