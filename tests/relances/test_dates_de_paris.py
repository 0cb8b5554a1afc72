"""Les jours des relances se comptent en heure de Paris, autour de minuit et des changements
d'heure : par la tâche périodique de balayage et celle du résumé, l'horloge déplacée.

Ce qu'une personne attend, et ce que fait le moteur :
- un rappel d'avant une date ne part jamais le jour même ni après (pas de « J-1 » le jour de
  la formation) ;
- une inscription faite après le jour d'un rappel ne le reçoit pas (inscrite à trois jours de
  la session, la convocation vient de partir : pas de « J-7 ») ; le suivant part à son jour ;
- un rappel manqué par une panne part au passage suivant, avec les vrais jours restants ;
- le résumé du jour compte les jours de retard au jour où il part.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accompagnement.enums import EtatJalon, TypeJalon
from accompagnement.models import Jalon
from messagerie.models import Message
from relances.models import PreferencesRelances, Relance
from relances.tasks import balayer, envoyer_resumes
from tests.accompagnement.factories import (
    ReferentFactory,
    SessionFactory,
    formation_de,
    plan_pour,
)
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# 2030 : heure d'été le dimanche 31 mars, heure d'hiver le dimanche 27 octobre.


def _a(mois, jour, heure, minute=0):
    return datetime.datetime(2030, mois, jour, heure, minute, tzinfo=PARIS)


def _tache(tache, moment):
    with time_machine.travel(moment, tick=False):
        tache.apply()


@pytest.fixture
def membre():
    return UtilisateurFactory(candidat=True, email="ccas@houplines.test")


@pytest.fixture
def plan(membre):
    return plan_pour(
        appel__programme=ProgrammeFactory(),
        structure__nom="CCAS de Houplines",
        structure__membres=[membre],
    )


@pytest.fixture
def session(plan):
    # Mardi 2 avril 2030 : J-7 le 26 mars (heure d'hiver), J-1 le 1er avril (heure d'été).
    return SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        date=datetime.date(2030, 4, 2),
    )


def _inscrire(session, le):
    referent = ReferentFactory(structure=session.plans.get().structure, prenom="Awa", nom="Diop")
    return session.inscriptions.create(referent=referent, inscrit_le=le)


def _convocations():
    """[(décalage, jour et heure de Paris du balayage qui l'a créée)]."""
    return sorted(
        (relance.decalage, relance.creee_le.astimezone(PARIS).strftime("%d/%m %H:%M"))
        for relance in Relance.objects.filter(type_code="convocation_formation")
    )


def test_j_moins_7_et_j_moins_1_au_jour_de_paris_de_part_et_d_autre_de_minuit(session):
    _inscrire(session, _a(3, 1, 10))

    # 23 h 55 à Paris le 25 mars : 22 h 55 UTC, toujours J-8.
    _tache(balayer, _a(3, 25, 23, 55))
    # 0 h 05 à Paris le 26 mars : 23 h 05 UTC le 25, mais J-7 à Paris.
    _tache(balayer, _a(3, 26, 0, 5))
    _tache(balayer, _a(3, 31, 23, 50))  # J-2, en heure d'été
    _tache(balayer, _a(4, 1, 0, 10))  # J-1 : 22 h 10 UTC le 31 mars
    _tache(balayer, _a(4, 2, 0, 5))  # le jour même : rien

    assert _convocations() == [(-7, "26/03 00:05"), (-1, "01/04 00:10")]
    assert sorted(
        Message.objects.filter(type="relance_convocation_formation").values_list("sujet", flat=True)
    ) == [
        "[Relais] Rappel : Awa Diop en formation le mardi 2 avril",
        "[Relais] Rappel : Awa Diop en formation le mardi 2 avril",
    ]
    # Le même balayage écrit au référent lui-même, aux mêmes jours de Paris.
    titre = session.formation.titre
    assert sorted(
        (
            message.cle.rsplit(":", 1)[1],
            message.sujet,
            f"{message.cree_le.astimezone(PARIS):%d/%m %H:%M}",
        )
        for message in Message.objects.filter(type__startswith="accompagnement_rappel_convocation")
    ) == [
        ("J-1", f"[Relais] Rappel : {titre}, demain (mardi 2 avril)", "01/04 00:10"),
        ("J-7", f"[Relais] Rappel : {titre}, dans 7 jours (mardi 2 avril)", "26/03 00:05"),
    ]


def test_pas_de_j_moins_7_pour_une_inscription_a_trois_jours_de_la_session(session):
    with time_machine.travel(_a(3, 30, 10), tick=False):
        _inscrire(session, _a(3, 30, 10))
    _tache(balayer, _a(3, 30, 10, 15))
    _tache(balayer, _a(3, 31, 9))
    assert _convocations() == []

    _tache(balayer, _a(4, 1, 0, 10))
    assert _convocations() == [(-1, "01/04 00:10")]


def test_pas_de_j_moins_1_le_jour_de_la_session_pour_une_inscription_de_la_veille_au_soir(
    session,
):
    # Inscrite à 23 h 58 la veille : le balayage suivant tombe le jour de la session.
    _inscrire(session, _a(4, 1, 23, 58))
    _tache(balayer, _a(4, 2, 0, 0))
    _tache(balayer, _a(4, 2, 8, 0))
    assert _convocations() == []


def test_j_moins_1_manque_n_est_pas_envoye_le_jour_de_la_session(session):
    _inscrire(session, _a(3, 1, 10))
    _tache(balayer, _a(3, 26, 9))
    # Panne le 1er avril : rien ne tourne la veille.
    _tache(balayer, _a(4, 2, 0, 15))
    assert _convocations() == [(-7, "26/03 09:00")]


def test_rappel_manque_rattrape_avec_les_vrais_jours(session, membre):
    _inscrire(session, _a(3, 1, 10))
    # Panne du 26 au 28 mars : le J-7 part le 29, à quatre jours de la session.
    _tache(balayer, _a(3, 29, 0, 5))
    assert _convocations() == [(-7, "29/03 00:05")]


def _jalon_en_retard(plan, echeance, membre):
    jalon = plan.jalons.get(type=TypeJalon.KITS)
    Jalon.objects.filter(plan=plan).exclude(pk=jalon.pk).update(etat=EtatJalon.FAIT)
    Jalon.objects.filter(pk=jalon.pk).update(echeance=echeance)
    PreferencesRelances.objects.create(utilisateur=membre, resume_quotidien=True)
    return jalon


def _ligne_du_resume():
    message = Message.objects.get(type="relance_resume_quotidien")
    return [ligne for ligne in message.corps_texte.splitlines() if ligne.startswith("- ")]


def test_le_resume_compte_les_jours_de_retard_au_jour_ou_il_part(plan, membre):
    jalon = _jalon_en_retard(plan, datetime.date(2030, 10, 25), membre)  # vendredi

    # Le balayage du samedi 26 a manqué ; celui du dimanche 27, jour du passage à l'heure
    # d'hiver, rattrape la relance du lendemain de l'échéance ; le résumé part à 17 h.
    _tache(balayer, _a(10, 27, 0, 30))
    _tache(envoyer_resumes, _a(10, 27, 17))

    assert list(Relance.objects.values_list("type_code", "decalage", "date_reference")) == [
        ("jalon_en_retard", 1, datetime.date(2030, 10, 25))
    ]
    assert _ligne_du_resume() == [
        f"- Étape d'accompagnement en retard (chaque semaine) : {jalon} (en retard de 2 jours)"
    ]


def test_le_resume_de_minuit_passe_compte_un_jour_de_plus(plan, membre):
    jalon = _jalon_en_retard(plan, datetime.date(2030, 3, 29), membre)  # vendredi

    _tache(balayer, _a(3, 30, 0, 5))  # samedi, lendemain de l'échéance
    # Le résumé du samedi n'est pas parti ; celui du dimanche 31 (heure d'été) part à 0 h 30.
    _tache(envoyer_resumes, _a(3, 31, 0, 30))

    assert _ligne_du_resume() == [
        f"- Étape d'accompagnement en retard (chaque semaine) : {jalon} (en retard de 2 jours)"
    ]
