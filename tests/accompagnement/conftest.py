import pytest

from tests.accompagnement.factories import plan_pour
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import UtilisateurFactory


@pytest.fixture(autouse=True)
def fichiers_isoles_et_hachage_rapide(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def taches_immediates(settings):
    from aap.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire])


@pytest.fixture
def coach():
    return UtilisateurFactory(coach=True, email="coach@programme.test", first_name="Chloé")


@pytest.fixture
def membre():
    return UtilisateurFactory(candidat=True, email="ccas@houplines.test")


@pytest.fixture
def plan(programme, coach, membre):
    return plan_pour(
        coach=coach,
        appel__programme=programme,
        structure__nom="CCAS de Houplines",
        structure__membres=[membre],
    )
