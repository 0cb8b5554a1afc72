from django.db import models


class EtatMessage(models.TextChoices):
    A_ENVOYER = "a_envoyer", "À envoyer"
    EN_COURS = "en_cours", "Envoi en cours"
    ENVOYE = "envoye", "Envoyé"
    ECHEC = "echec", "Échec"
