class SaisieRefusee(Exception):
    """Une saisie d'activité impossible, avec un message en français pour la personne."""
