import pytest

from tests.taches import taches_celery


@pytest.fixture(autouse=True)
def taches_sur_place_et_fichiers_isoles(settings, tmp_path):
    """Tâches Celery exécutées sur place, fichiers dans un dossier propre au test, mots de
    passe vite hachés : les fabriques créent beaucoup de comptes."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with taches_celery(settings, immediates=True):
        yield
