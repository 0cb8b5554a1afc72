import pytest

from tests.accompagnement.factories import plan_pour
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory


@pytest.fixture(autouse=True)
def hachage_rapide(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire], nom="Programme A")


@pytest.fixture
def gestionnaire_b():
    return UtilisateurFactory(gestionnaire=True, email="gestion@programme-b.test")


@pytest.fixture
def programme_b(gestionnaire_b):
    return ProgrammeFactory(gestionnaires=[gestionnaire_b], nom="Programme B")


@pytest.fixture
def appel(programme):
    return AppelFactory(programme=programme, ouvert=True, slug="ami-2027")


@pytest.fixture
def candidatures(appel):
    """Trois candidatures déposées, par nom de structure."""
    return [
        CandidatureFactory(appel=appel, deposee=True, structure=StructureFactory(nom=nom))
        for nom in ("CCAS de Houplines", "CCAS de Leers", "Centre social Lys")
    ]


@pytest.fixture
def coach():
    return UtilisateurFactory(coach=True, email="coach@programme.test")


@pytest.fixture
def candidat():
    return UtilisateurFactory(candidat=True, email="ccas@laureate.test")


@pytest.fixture
def plan(programme, coach, candidat):
    return plan_pour(
        coach=coach,
        appel__programme=programme,
        structure=StructureFactory(nom="CCAS lauréat", membres=[candidat]),
    )
