"""Les rappels J-7 et J-1 d'une convocation vont au référent lui-même, une fois chacun."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from aap.celery import app
from accompagnement.enums import TypeJalon
from accompagnement.relances import RAPPEL_CONVOCATION_REFERENT
from messagerie.models import Message
from relances.selectors import relances_dues
from relances.services import balayer
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def rappeler_convocations(maintenant):
    """Le balayage du moteur des courriels datés, pour ce seul courriel."""
    return balayer(maintenant, types=[RAPPEL_CONVOCATION_REFERENT]).total


def rappels_dus(maintenant):
    return relances_dues(maintenant, types=[RAPPEL_CONVOCATION_REFERENT])


def _a(annee, mois, jour, heure=9):
    return datetime.datetime(annee, mois, jour, heure, 0, tzinfo=PARIS)


@pytest.fixture
def session(plan, coach):
    return SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=coach,
        date=datetime.date(2030, 1, 15),
        lieu="Médiathèque de Houplines",
    )


def _inscrire(session, le, **referent):
    referent = ReferentFactory(structure=session.plans.get().structure, **referent)
    return session.inscriptions.create(referent=referent, inscrit_le=le)


def _rappels():
    return sorted(
        Message.objects.filter(type__startswith="accompagnement_rappel_convocation").values_list(
            "cle", "destinataire", "sujet"
        )
    )


def test_j_moins_7_puis_j_moins_1_au_referent_une_fois_chacun(session, plan):
    inscription = _inscrire(session, _a(2029, 12, 1), prenom="Awa", email="awa@ccas.test")
    titre = session.formation.titre

    for jour in (7, 8, 8, 13, 14, 14, 15):
        rappeler_convocations(_a(2030, 1, jour))

    assert _rappels() == [
        (
            f"convocation:{inscription.pk}:J-1",
            "awa@ccas.test",
            f"[Relais] Rappel : {titre}, demain (mardi 15 janvier)",
        ),
        (
            f"convocation:{inscription.pk}:J-7",
            "awa@ccas.test",
            f"[Relais] Rappel : {titre}, dans 7 jours (mardi 15 janvier)",
        ),
    ]
    rappel = Message.objects.get(cle=f"convocation:{inscription.pk}:J-1")
    assert "Bonjour Awa " in rappel.corps_texte
    assert "Lieu : Médiathèque de Houplines" in rappel.corps_texte
    assert [p.nom for p in rappel.pieces_jointes.all()] == ["formation-2030-01-15.ics"]
    # Rattaché au programme : ses gestionnaires le voient dans la boîte d'envoi.
    assert rappel.programme_id == plan.programme_id


def test_un_rappel_manque_part_au_passage_suivant(session):
    inscription = _inscrire(session, _a(2029, 12, 1))
    # Rien ne tourne le 8 janvier (J-7) : le rappel part le 10, avec les jours qui restent.
    rappeler_convocations(_a(2030, 1, 10))
    assert [(cle, sujet.split(", ")[-1]) for cle, _, sujet in _rappels()] == [
        (f"convocation:{inscription.pk}:J-7", "dans 5 jours (mardi 15 janvier)")
    ]


def test_pas_de_rappel_pour_une_inscription_posterieure_a_son_jour(session):
    # Inscrite le 10 : la convocation vient de partir, pas de J-7 ; le J-1 reste dû.
    inscription = _inscrire(session, _a(2030, 1, 10))
    assert rappels_dus(_a(2030, 1, 10)) == []
    rappeler_convocations(_a(2030, 1, 14))
    assert [cle for cle, _, _ in _rappels()] == [f"convocation:{inscription.pk}:J-1"]


def test_rien_le_jour_meme_ni_apres(session):
    _inscrire(session, _a(2029, 12, 1))
    assert rappeler_convocations(_a(2030, 1, 15)) == 0
    assert rappeler_convocations(_a(2030, 1, 16)) == 0
    assert _rappels() == []


def test_la_tache_passe_chaque_heure():
    # Les rappels sont balayés par le seul moteur des courriels datés, au moins chaque heure.
    assert "accompagnement-rappeler-convocations" not in app.conf.beat_schedule
    planification = app.conf.beat_schedule["relances-balayer"]
    assert planification["task"] == "relances.balayer"
    assert planification["schedule"].minute == {0, 15, 30, 45}
    assert len(planification["schedule"].hour) == 24
