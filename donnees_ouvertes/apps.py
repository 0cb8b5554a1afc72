from django.apps import AppConfig


class DonneesOuvertesConfig(AppConfig):
    """Les indicateurs d'une cohorte publiés en données ouvertes (CSV et Data Package)."""

    name = "donnees_ouvertes"
