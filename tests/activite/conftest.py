import pytest

from tests.candidatures.factories import CandidatureFactory, StructureFactory


@pytest.fixture(autouse=True)
def fichiers_isoles(settings, tmp_path):
    """Les PDF du bilan rendus par un test vont dans un dossier propre à ce test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def mises_en_page(monkeypatch):
    """La liste des mises en page faites par WeasyPrint pendant le test, tous fils confondus :
    on enveloppe `HTML.write_pdf`, qui n'est pas de notre code."""
    from weasyprint import HTML

    faites = []
    write_pdf = HTML.write_pdf

    def compter(self, *args, **kwargs):
        faites.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", compter)
    return faites


@pytest.fixture
def structure():
    """Une structure lauréate : l'activité ne se saisit qu'une fois la structure retenue à un
    appel. (`test_import.py` garde la sienne, avec ses thèmes.)"""
    structure = StructureFactory(nom="CCAS de Houplines")
    CandidatureFactory(structure=structure, retenue=True)
    return structure
