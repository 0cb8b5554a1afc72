import datetime

import pytest
from django.utils import timezone

from activite.relances import DECALAGES_MENSUELS, ORIGINE
from messagerie.models import Message
from relances import services
from tests.activite.factories import ActionFactory
from tests.candidatures.factories import CandidatureFactory, StructureFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

PARIS = timezone.get_fixed_timezone(60)


def _a(annee, mois, jour):
    return datetime.datetime(annee, mois, jour, 12, tzinfo=PARIS)


@pytest.fixture
def plan_actif():
    from accompagnement.enums import EtatPlan
    from accompagnement.models import PlanAccompagnement

    personne = UtilisateurFactory(candidat=True, email="ccas@leers.test")
    structure = StructureFactory(nom="CCAS de Leers", membres=[personne])
    candidature = CandidatureFactory(structure=structure, retenue=True)
    return PlanAccompagnement.objects.create(
        candidature=candidature,
        programme=candidature.appel.programme,
        structure=structure,
        date_debut=datetime.date(2023, 1, 2),
        etat=EtatPlan.ACTIF,
    )


def _relances_de_saisie():
    return list(
        Message.objects.filter(type="relance_saisie_activite").values_list("destinataire", "sujet")
    )


def test_relance_de_saisie_le_20_sans_activite_du_mois(plan_actif):
    services.balayer(_a(2023, 5, 19))
    assert _relances_de_saisie() == []

    services.balayer(_a(2023, 5, 20))
    services.balayer(_a(2023, 5, 28))

    assert _relances_de_saisie() == [
        ("ccas@leers.test", "[Relais] Pensez à saisir votre activité du mois")
    ]
    corps = Message.objects.get(type="relance_saisie_activite").corps_texte
    assert (
        "Aucun atelier, aucune permanence ni aucun parcours n'est encore enregistré ce mois-ci "
        "pour CCAS de Leers." in corps
    )


def test_relance_de_saisie_une_fois_par_mois(plan_actif):
    services.balayer(_a(2023, 5, 20))
    services.balayer(_a(2023, 6, 21))

    assert len(_relances_de_saisie()) == 2


def test_pas_de_relance_de_saisie_si_une_action_est_enregistree_ce_mois(plan_actif):
    ActionFactory(structure=plan_actif.structure, date_debut=datetime.date(2023, 5, 3))

    services.balayer(_a(2023, 5, 22))

    assert _relances_de_saisie() == []


def test_pas_de_relance_de_saisie_hors_phase_active(plan_actif):
    from accompagnement.models import PlanAccompagnement

    PlanAccompagnement.objects.filter(pk=plan_actif.pk).update(etat="cadrage")

    services.balayer(_a(2023, 5, 22))

    assert _relances_de_saisie() == []


def test_decalages_mensuels_un_par_mois_le_20():
    assert ORIGINE + datetime.timedelta(days=DECALAGES_MENSUELS[0]) == datetime.date(2020, 1, 20)
    assert ORIGINE + datetime.timedelta(days=DECALAGES_MENSUELS[13]) == datetime.date(2021, 2, 20)
