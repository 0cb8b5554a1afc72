"""La page des relances, quand rien n'est parti : elle dit pourquoi et quand partira la
prochaine (issue #15, point 27)."""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_liste_vide_dit_qu_aucune_relance_n_est_due_et_quand_vient_la_prochaine(
    client, gestionnaire
):
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    appel = AppelFactory(
        programme=programme, ouvert=True, date_limite=timezone.now() + datetime.timedelta(days=10)
    )
    CandidatureFactory(appel=appel, structure=StructureFactory(membres=[UtilisateurFactory()]))
    client.force_login(gestionnaire)

    page = client.get("/gestion/relances/").text

    prochaine = timezone.localdate(appel.date_limite) - datetime.timedelta(days=7)
    assert (
        "Aucune relance n'est due aujourd'hui. La prochaine partira le "
        f"{date_format(prochaine, 'j F Y')} : Candidature en brouillon avant la date limite."
    ) in page


def test_liste_vide_sans_rien_a_venir(client, gestionnaire):
    ProgrammeFactory(gestionnaires=[gestionnaire])
    client.force_login(gestionnaire)

    page = client.get("/gestion/relances/").text

    assert (
        "Aucune relance n'est due aujourd'hui, et aucune n'est prévue dans les 14 prochains jours."
    ) in page


def test_liste_vide_ne_montre_pas_les_relances_d_un_autre_programme(client, gestionnaire):
    ProgrammeFactory(gestionnaires=[gestionnaire])
    autre = AppelFactory(ouvert=True, date_limite=timezone.now() + datetime.timedelta(days=3))
    CandidatureFactory(appel=autre, structure=StructureFactory(membres=[UtilisateurFactory()]))
    client.force_login(gestionnaire)

    page = client.get("/gestion/relances/").text

    assert "aucune n'est prévue dans les 14 prochains jours." in page
    assert "Candidature en brouillon avant la date limite." not in page
