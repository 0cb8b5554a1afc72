import io

import pytest

from crochets.models import Abonnement, Livraison
from demo.crochets import charger_crochets
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_le_webhook_de_la_demo_est_desactive_et_ne_se_cree_qu_une_fois():
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestionnaire@demo.relais.test")
    programme = ProgrammeFactory(slug="inclusion-numerique-mel", gestionnaires=[gestionnaire])

    charger_crochets(io.StringIO())
    charger_crochets(io.StringIO())

    abonnement = Abonnement.objects.get()
    assert (abonnement.programme, abonnement.url, abonnement.actif, abonnement.evenements) == (
        programme,
        "https://partenaire.example/relais",
        False,
        ["candidature.deposee", "plan.clos", "activite.importee"],
    )
    assert Livraison.objects.count() == 0
