"""Les traces de connexion (django-axes) ne sont pas gardées sans fin : la tâche de nuit
efface celles qui ont dépassé la durée de conservation, et seulement celles-là."""

import datetime

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.utils import timezone

from aap.celery import app
from comptes.tasks import purger_journaux_de_connexion

pytestmark = pytest.mark.django_db


def _trace(modele, jours, nom):
    trace = modele.objects.create(
        username=nom, ip_address="192.0.2.1", user_agent="Navigateur", path_info="/comptes/"
    )
    modele.objects.filter(pk=trace.pk).update(
        attempt_time=timezone.now() - datetime.timedelta(days=jours)
    )


def test_les_traces_plus_vieilles_que_la_conservation_sont_effacees(settings):
    settings.RELAIS_CONSERVATION_CONNEXIONS_JOURS = 183
    _trace(AccessLog, 200, "ancienne@exemple.test")
    _trace(AccessLog, 100, "recente@exemple.test")
    _trace(AccessFailureLog, 184, "ancien-refus@exemple.test")
    _trace(AccessFailureLog, 1, "refus-recent@exemple.test")

    assert purger_journaux_de_connexion() == 2
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["recente@exemple.test"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [
        "refus-recent@exemple.test"
    ]
    # Une seconde exécution n'a plus rien à effacer.
    assert purger_journaux_de_connexion() == 0


def test_la_purge_passe_chaque_nuit():
    planification = app.conf.beat_schedule["comptes-purger-journaux-de-connexion"]
    assert planification["task"] == "comptes.purger_journaux_de_connexion"
    assert (planification["schedule"].hour, planification["schedule"].minute) == ({3}, {30})
