import pytest


@pytest.fixture(autouse=True)
def taches_sur_place_et_fichiers_isoles(settings, tmp_path):
    """Tâches Celery exécutées sur place, fichiers dans un dossier propre au test, mots de
    passe vite hachés : les fabriques créent beaucoup de comptes."""
    from aap.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    avant = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    app.conf.task_always_eager = avant
