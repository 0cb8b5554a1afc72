import pytest

from tests.candidatures.factories import ProgrammeFactory, StructureFactory
from tests.factories import UtilisateurFactory
from tests.taches import taches_celery


@pytest.fixture(autouse=True)
def envoi_immediat_et_fichiers_isoles(settings, tmp_path):
    """Les tâches Celery s'exécutent sur place (les courriels arrivent dans `mailoutbox`) et
    les pièces jointes vont dans un dossier propre au test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Des mots de passe vite hachés : les fabriques créent beaucoup de comptes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with taches_celery(settings, immediates=True):
        yield


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire])


@pytest.fixture
def candidat():
    return UtilisateurFactory(candidat=True, email="ccas@houplines.test")


@pytest.fixture
def structure(candidat):
    return StructureFactory(nom="CCAS de Houplines", membres=[candidat])
