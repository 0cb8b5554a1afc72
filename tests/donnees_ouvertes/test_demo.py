import datetime
import io
import json

import frictionless
import pytest
from django.core.management import call_command

from demo.horloge import PARIS
from donnees_ouvertes.models import Publication
from journal.enums import TypeEvenement
from journal.models import Evenement

pytestmark = pytest.mark.django_db


def test_la_demo_publie_les_indicateurs_de_l_ami_2022_une_fois(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())

    publication = Publication.objects.get()
    assert publication.appel.slug == "ami-inclusion-numerique-2022"
    assert publication.publiee_par.email == "gestionnaire@demo.relais.test"
    assert publication.publiee_le == datetime.datetime(2023, 12, 15, 9, 30, tzinfo=PARIS)
    assert publication.en_ligne
    (tmp_path / "datapackage.json").write_text(json.dumps(publication.descripteur))
    (tmp_path / "indicateurs.csv").write_text(publication.csv, newline="")
    rapport = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
    # La cohorte, puis les cinq lauréates de 2022.
    assert [tache.stats["rows"] for tache in rapport.tasks] == [6]

    call_command("seed_demo", stdout=io.StringIO())
    assert Publication.objects.get().publiee_le == publication.publiee_le
    assert Evenement.objects.filter(type=TypeEvenement.DONNEES_OUVERTES_PUBLIEES).count() == 1
