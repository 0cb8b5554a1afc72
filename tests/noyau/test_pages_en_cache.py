"""Les pages gardées en cache (noyau.pages_en_cache) : resservies tant qu'aucune table lue n'a
changé, jamais à un autre compte, jamais quand la vue a écrit, posé un cookie, affiché un
message ou répondu autre chose que 200 ; recalculées à la minute suivante. Transactions validées
(transaction=True) : dans la transaction d'un test ordinaire, le cache de pages ne sert pas."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.utils import timezone

from tests.factories import UtilisateurFactory
from tests.noyau import urls_pages_en_cache as vues

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.noyau.urls_pages_en_cache"),
]


@pytest.fixture(autouse=True)
def compteurs():
    vues.appels.clear()
    return vues.appels


@pytest.fixture
def alice(client):
    client.force_login(UtilisateurFactory(email="alice@relais.test"))
    return client


def test_une_page_est_resservie_tant_que_sa_table_ne_change_pas(
    alice, compteurs, django_assert_num_queries
):
    n = Group.objects.count()
    assert alice.get("/lecture/").text == f"{n} groupe(s) · alice@relais.test"
    # Resservie : le compte (chargé par l'authentification) et l'horloge, rien d'autre.
    with django_assert_num_queries(2):
        assert alice.get("/lecture/").text == f"{n} groupe(s) · alice@relais.test"
    assert compteurs == {"lecture": 1}

    Group.objects.create(name="Jury")
    assert alice.get("/lecture/").text == f"{n + 1} groupe(s) · alice@relais.test"
    assert compteurs == {"lecture": 2}


def test_un_autre_compte_n_a_jamais_la_page_d_un_autre(alice, compteurs):
    n = Group.objects.count()
    assert alice.get("/lecture/").text == f"{n} groupe(s) · alice@relais.test"
    bruno = Client()
    bruno.force_login(UtilisateurFactory(email="bruno@relais.test"))
    assert bruno.get("/lecture/").text == f"{n} groupe(s) · bruno@relais.test"
    assert compteurs == {"lecture": 2}


def test_une_vue_qui_ecrit_en_lisant_n_est_jamais_gardee(alice, compteurs):
    n = Group.objects.count()
    for _fois in range(2):
        assert alice.get("/ecriture/").text == "écrit"
    assert compteurs == {"ecriture": 2}
    assert Group.objects.count() == n + 2


def test_cookie_erreur_et_message_ne_sont_pas_gardes(alice, compteurs):
    # Une seule base vidée pour les trois (un test qui valide ses transactions est lent).
    for adresse, statut in (("/cookie/", 200), ("/introuvable/", 404), ("/message/", 200)):
        for _fois in range(2):
            assert alice.get(adresse).status_code == statut
    assert compteurs == {"cookie": 2, "introuvable": 2, "message": 2}


def test_rien_n_est_garde_ni_servi_dans_une_transaction_ouverte(alice, compteurs):
    with transaction.atomic():
        alice.get("/lecture/")
        alice.get("/lecture/")
    assert compteurs == {"lecture": 2}


def test_la_minute_suivante_la_page_est_recalculee(alice, compteurs):
    midi = datetime.datetime(2026, 3, 16, 12, 0, 10, tzinfo=datetime.UTC)
    with time_machine.travel(midi, tick=False) as voyage:
        alice.get("/lecture/")
        voyage.shift(datetime.timedelta(seconds=45))  # 12:00:55
        alice.get("/lecture/")
        assert compteurs == {"lecture": 1}
        voyage.shift(datetime.timedelta(seconds=5))  # 12:01:00
        alice.get("/lecture/")
        assert compteurs == {"lecture": 2}
    assert timezone.now() > midi
