import pytest


@pytest.fixture(autouse=True)
def fichiers_isoles(settings, tmp_path):
    """Les PDF du bilan rendus par un test vont dans un dossier propre à ce test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
