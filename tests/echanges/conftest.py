from dataclasses import dataclass

import pytest

from tests.accompagnement.factories import plan_pour
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory


@pytest.fixture
def taches_immediates(settings):
    from aap.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@dataclass
class Monde:
    gestionnaire: object
    collegue: object
    autre_gestionnaire: object
    membre: object
    membre_bis: object
    candidat_b: object
    coach: object
    autre_coach: object
    candidature: object
    candidature_b: object
    plan: object


@pytest.fixture
def monde():
    gestionnaire = UtilisateurFactory(
        gestionnaire=True, email="gestion@programme.test", first_name="Gaëlle", last_name="Gest"
    )
    collegue = UtilisateurFactory(gestionnaire=True, email="collegue@programme.test")
    autre_gestionnaire = UtilisateurFactory(gestionnaire=True, email="autre@programme.test")
    programme = ProgrammeFactory(gestionnaires=[gestionnaire, collegue])
    ProgrammeFactory(gestionnaires=[autre_gestionnaire])
    membre = UtilisateurFactory(
        candidat=True, email="direction@ccas-a.test", first_name="Alice", last_name="Martin"
    )
    membre_bis = UtilisateurFactory(candidat=True, email="accueil@ccas-a.test")
    candidat_b = UtilisateurFactory(candidat=True, email="direction@ccas-b.test")
    structure = StructureFactory(nom="CCAS A", membres=[membre, membre_bis])
    structure_b = StructureFactory(nom="CCAS B", membres=[candidat_b])
    appel = AppelFactory(programme=programme, ouvert=True, titre="AMI 2027")
    candidature = CandidatureFactory(appel=appel, structure=structure, deposee=True)
    candidature_b = CandidatureFactory(appel=appel, structure=structure_b, deposee=True)
    coach = UtilisateurFactory(coach=True, email="coach@programme.test")
    autre_coach = UtilisateurFactory(coach=True, email="autre-coach@programme.test")
    plan = plan_pour(coach=coach, appel__programme=programme, structure=structure)
    return Monde(
        gestionnaire=gestionnaire,
        collegue=collegue,
        autre_gestionnaire=autre_gestionnaire,
        membre=membre,
        membre_bis=membre_bis,
        candidat_b=candidat_b,
        coach=coach,
        autre_coach=autre_coach,
        candidature=candidature,
        candidature_b=candidature_b,
        plan=plan,
    )
