from django.db import models
from django.utils.translation import gettext_lazy as _


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
