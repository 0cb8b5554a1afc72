"""La démo : la gestionnaire a réécrit la convocation de son programme, une seule fois."""

import datetime
import io

import pytest

from demo.accompagnement import GESTIONNAIRE_DEMO, SLUG_APPEL_2022
from demo.modeles import CORPS, SUJET, charger_modeles
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie.models import ModeleCourriel
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_la_convocation_du_programme_de_la_demo_est_reecrite_une_fois():
    gestionnaire = UtilisateurFactory(gestionnaire=True, email=GESTIONNAIRE_DEMO)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    AppelFactory(programme=programme, slug=SLUG_APPEL_2022)
    sortie = io.StringIO()

    charger_modeles(sortie)
    charger_modeles(sortie)

    [version] = ModeleCourriel.objects.all()
    assert (version.programme, version.code, version.sujet, version.corps) == (
        programme,
        "accompagnement_convocation",
        SUJET,
        CORPS,
    )
    assert version.modifie_le == datetime.datetime(2023, 9, 4, 7, tzinfo=datetime.UTC)
    assert sortie.getvalue() == (
        "Modèles : convocation du programme réécrite."
        "Modèles : convocation déjà réécrite, laissée telle quelle."
    )
    [evenement] = Evenement.objects.filter(type=TypeEvenement.MODELE_TEXTE_MODIFIE)
    assert (evenement.acteur, evenement.cible_id) == (gestionnaire, programme.pk)
