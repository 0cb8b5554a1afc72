import socket

import pytest

from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.crochets.recepteur import demarrer
from tests.factories import UtilisateurFactory


@pytest.fixture(autouse=True)
def reglages_crochets(settings):
    """Comme en DEBUG : http et 127.0.0.1 permis (le récepteur local) ; pas d'attente entre
    les tentatives."""
    settings.CROCHETS_HTTP_PERMIS = True
    settings.CROCHETS_ADRESSES_PRIVEES_PERMISES = True
    settings.CROCHETS_DELAIS_DES_TENTATIVES = [0, 0, 0, 0, 0]
    return settings


@pytest.fixture
def recepteur():
    recepteur, arreter = demarrer()
    yield recepteur
    arreter()


@pytest.fixture
def port_ferme():
    """Une adresse où rien n'écoute : le port est pris puis rendu aussitôt."""
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        port = prise.getsockname()[1]
    return f"http://127.0.0.1:{port}/crochet"


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire])


@pytest.fixture
def appel(programme):
    return AppelFactory(programme=programme, ouvert=True, titre="AMI 2027")
