from django.db import models
from django.utils.translation import gettext_lazy as _


class EtatMessage(models.TextChoices):
    A_ENVOYER = "a_envoyer", _("À envoyer")
    EN_COURS = "en_cours", _("Envoi en cours")
    ENVOYE = "envoye", _("Envoyé")
    ECHEC = "echec", _("Échec")


class EtatEnvoiGroupe(models.TextChoices):
    EN_COURS = "en_cours", _("Envoi en cours")
    TERMINE = "termine", _("Terminé")
