import pytest

from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.evaluation.factories import JuryFactory
from tests.factories import UtilisateurFactory


@pytest.fixture(autouse=True)
def envoi_immediat(settings):
    """Les courriels partent sur place (dans `mailoutbox`) ; mots de passe vite hachés."""
    from aap.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")


@pytest.fixture
def jury(gestionnaire):
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    return JuryFactory(appel__programme=programme)


@pytest.fixture
def candidature(jury):
    return CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Houplines")
    )
