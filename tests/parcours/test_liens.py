"""Chaque rôle suit tous les liens de son espace : aucune réponse 500.

Le client de test de Django suffit ici (on suit des liens, sans JavaScript) ; la démo est
chargée une fois pour le module, dans une transaction annulée à la fin."""

import pytest
from django.db import transaction

from tests.parcours.conftest import COMPTES, charger_demo
from tests.parcours.visite import visiter

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        comptes = charger_demo()
        yield comptes
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", list(COMPTES))
def test_chaque_lien_de_l_espace_repond_sans_erreur_serveur(demo, client, role):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email=demo[role]))
    visite = visiter(client)

    assert visite.erreurs == [], visite.rapport(role)
    # La visite est allée au-delà de l'accueil : sinon elle ne prouverait rien.
    assert len(visite.pages) > 5, visite.pages
