"""Les réponses de l'API gardées en cache (noyau.pages_en_cache.ReponseEnCache) :
l'authentification passe à chaque requête (un jeton révoqué n'a plus la réponse gardée), et une
écriture rend la réponse caduque. Transactions validées : hors de la transaction d'un test."""

import datetime

import pytest
from django.utils import timezone

from api import jetons
from programmes.models import Appel
from tests.api.outils import client_api
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_une_reponse_gardee_suit_l_ecriture_et_pas_un_jeton_revoque(django_assert_num_queries):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    appel = AppelFactory(programme=programme, ouvert=True, titre="Inclusion numérique 2027")
    jeton, clair = jetons.creer_jeton(
        gestionnaire,
        nom="Tableau régional",
        programme=programme,
        expire_le=timezone.now() + datetime.timedelta(days=9),
    )
    client = client_api(clair)
    premiere = client.get("/api/v1/appels/")
    assert [a["titre"] for a in premiere.json()["results"]] == ["Inclusion numérique 2027"]
    # Resservie : le jeton et son compte (l'authentification, à chaque requête), l'horloge.
    with django_assert_num_queries(2):
        assert client.get("/api/v1/appels/").json() == premiere.json()

    Appel.objects.filter(pk=appel.pk).update(titre="Inclusion numérique 2028")
    assert [a["titre"] for a in client.get("/api/v1/appels/").json()["results"]] == [
        "Inclusion numérique 2028"
    ]

    jetons.revoquer_jeton(jeton, par=gestionnaire)
    refus = client.get("/api/v1/appels/")
    assert refus.status_code == 401
    assert refus.json() == {"detail": "Ce jeton a été révoqué."}
