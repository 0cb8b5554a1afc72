"""Relire un objet à états dans plusieurs fils à la fois ne doit jamais lever d'erreur :
django-fsm retire un instant la protection du champ d'état, réglage partagé par tous les fils
(trouvé par le test du jour limite : deux refus simultanés finissaient en 500)."""

import threading

import pytest
from django.db import connection

from tests.candidatures.factories import CandidatureFactory

pytestmark = pytest.mark.django_db(transaction=True)

FILS = 8
RELECTURES = 150


def test_des_relectures_simultanees_ne_levent_rien():
    candidatures = [CandidatureFactory() for _ in range(FILS)]
    depart = threading.Barrier(FILS)
    erreurs = []

    def relire(candidature):
        try:
            depart.wait()
            for _ in range(RELECTURES):
                candidature.refresh_from_db()
        except Exception as erreur:  # noqa: BLE001 — toute erreur est le défaut cherché
            erreurs.append(repr(erreur))
        finally:
            connection.close()

    fils = [threading.Thread(target=relire, args=(c,)) for c in candidatures]
    for un_fil in fils:
        un_fil.start()
    for un_fil in fils:
        un_fil.join(timeout=60)
    assert erreurs == []
    assert [c.etat for c in candidatures] == ["brouillon"] * FILS
