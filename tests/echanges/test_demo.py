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
    # Les demandes de complément (deux en 2022, une en 2027 : demo/versions) sont aussi des
    # messages de leur fil, écrits par la gestionnaire.
    complements = MessageFil.objects.filter(
        fil__cible_type__model="candidature", reponse_attendue_avant__isnull=True
    ).order_by("cree_le")
    assert [(m.fil.cible.appel.slug, m.auteur.email) for m in complements] == [
        ("ami-inclusion-numerique-2022", "gestionnaire@demo.relais.test"),
        ("ami-inclusion-numerique-2022", "gestionnaire@demo.relais.test"),
        ("ami-inclusion-numerique-2027", "gestionnaire@demo.relais.test"),
    ]
    total = MessageFil.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert MessageFil.objects.count() == total
