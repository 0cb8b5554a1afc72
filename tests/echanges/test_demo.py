import io

import pytest
from django.core.management import call_command

from echanges.models import MessageFil

pytestmark = pytest.mark.django_db


def test_la_demo_ecrit_ses_fils_une_fois():
    call_command("seed_demo", stdout=io.StringIO())
    question = MessageFil.objects.get(reponse_attendue_avant__isnull=False)
    assert (question.fil.cible.appel.slug, question.cote, question.auteur.email) == (
        "ami-inclusion-numerique-2027",
        "equipe",
        "gestionnaire@demo.relais.test",
    )
    assert question.repondu_le is None
    assert list(
        MessageFil.objects.filter(fil__cible_type__model="planaccompagnement")
        .order_by("cree_le")
        .values_list("cote", "auteur__email")
    ) == [
        ("equipe", "coach@demo.relais.test"),
        ("structure", "laureate@demo.relais.test"),
        ("equipe", "coach@demo.relais.test"),
    ]
    # Les demandes de complément de 2022 sont aussi des messages de leur fil.
    complements = MessageFil.objects.filter(
        fil__cible_type__model="candidature", reponse_attendue_avant__isnull=True
    )
    assert complements.count() == 2
    total = MessageFil.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert MessageFil.objects.count() == total
