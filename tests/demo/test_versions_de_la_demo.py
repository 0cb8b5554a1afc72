"""La démo montre une candidature de l'AMI 2027 redéposée après un complément : sa page
« Versions déposées » montre la différence entre ses deux dépôts."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from candidatures.comparaison import comparer
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from demo.candidatures import GESTIONNAIRE_DEMO
from demo.versions import MOTIVATION

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=None)
        yield
        transaction.set_rollback(True)


def _redeposee():
    return Candidature.objects.get(appel__slug="ami-inclusion-numerique-2027", versions__numero=2)


def test_la_candidature_redeposee_de_l_ami_2027_montre_sa_difference(demo):
    candidature = _redeposee()
    v1, v2 = candidature.versions.order_by("numero")

    comparaison = comparer(v1, v2)

    assert candidature.etat == EtatCandidature.DEPOSEE
    assert [ligne.libelle for ligne in comparaison.changees] == [
        candidature.appel.questions.order_by("ordre", "pk")[1].libelle,
        candidature.appel.pieces_demandees.get(ordre=1).libelle,
    ]
    assert comparaison.changees[0].apres == MOTIVATION
    assert (comparaison.changees[1].avant, comparaison.changees[1].apres) == (
        "deliberation.pdf",
        "deliberation-signee.pdf",
    )
    assert v1.deposee_le < v2.deposee_le


def test_un_second_passage_ne_rejoue_pas_le_redepot(demo):
    call_command("seed_demo", stdout=None)

    assert _redeposee().versions.count() == 2


def test_la_gestionnaire_de_demo_ouvre_la_page(demo, client):
    client.force_login(get_user_model().objects.get(email=GESTIONNAIRE_DEMO))

    reponse = client.get(reverse("candidatures:gestion_versions", args=[_redeposee().pk]))

    assert reponse.status_code == 200
    assert "2 champs modifiés entre le dépôt n° 1 et le dépôt n° 2" in reponse.content.decode()
