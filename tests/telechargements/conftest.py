import pytest

from tests.factories import UtilisateurFactory


@pytest.fixture(autouse=True)
def fichiers_isoles(settings, tmp_path):
    """Les fichiers des exports d'un test vont dans un dossier propre à ce test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
