import factory

from telechargements.models import Telechargement


class TelechargementFactory(factory.django.DjangoModelFactory):
    """Un export des candidatures en CSV, en français (le demandeur et l'appel sont à donner)."""

    class Meta:
        model = Telechargement

    genre = "candidatures"
    format = "csv"
    langue = "fr"
