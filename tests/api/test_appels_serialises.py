"""La liste des appels de l'API écrit chaque appel sans passer par les champs génériques de
`ModelSerializer` : elle doit rester mot pour mot ce qu'ils écriraient (dates dans le fuseau
courant, UTC en « Z », valeurs absentes à null), et l'adresse de la page, construite une fois
par réponse, celle de chaque appel."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework import serializers

from api.serialiseurs.appels import AppelSerialiseur
from programmes.models import Appel
from tests.api.outils import client_api
from tests.candidatures.factories import AppelFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _appels():
    programme = ProgrammeFactory(nom="Inclusion MEL", slug="inclusion-mel")
    ouvert = AppelFactory(programme=programme, ouvert=True, slug="ami-2027", nombre_places=12)
    brouillon = AppelFactory(programme=programme, slug="ami-2028", description="")
    # Une date en UTC (« Z »), une autre en été, une absente.
    Appel.objects.filter(pk=brouillon.pk).update(
        ouverture=datetime.datetime(2027, 1, 1, 0, 0, tzinfo=datetime.UTC),
        date_limite=datetime.datetime(2027, 7, 14, 10, 30, 5, 123, tzinfo=datetime.UTC),
        clos_le=None,
    )
    return [ouvert, Appel.objects.select_related("programme").get(pk=brouillon.pk)]


@pytest.mark.parametrize("fuseau", ["Europe/Paris", "UTC", "America/Cayenne"])
def test_chaque_appel_est_ecrit_comme_par_les_champs_generiques(fuseau):
    requete = RequestFactory().get("/api/v1/appels/")
    with timezone.override(fuseau):
        for appel in _appels():
            serialiseur = AppelSerialiseur(context={"request": requete})
            generique = serializers.ModelSerializer.to_representation(serialiseur, appel)
            assert serialiseur.to_representation(appel) == dict(generique)
            assert list(serialiseur.to_representation(appel)) == list(generique)


def test_la_page_de_chaque_appel_de_la_liste(django_assert_num_queries):
    ouvert = AppelFactory(ouvert=True, slug="ami-2027")
    autre = AppelFactory(ouvert=True, slug="ami_2028-bis")

    with django_assert_num_queries(1):
        donnees = client_api().get("/api/v1/appels/").json()

    assert [(appel["id"], appel["page"]) for appel in donnees["results"]] == [
        (ouvert.pk, "http://testserver/appels/ami-2027/"),
        (autre.pk, "http://testserver/appels/ami_2028-bis/"),
    ]
