"""Les listes déclarées par l'accompagnement et l'évaluation pour les envois groupés."""

import datetime

import pytest
from django.http import QueryDict
from django.urls import reverse

from accompagnement.enums import TypeJalon
from accompagnement.models import Inscription
from messagerie.audiences import type_d_audience
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de, plan_pour
from tests.candidatures.factories import ProgrammeFactory, StructureFactory
from tests.evaluation.factories import JuryFactory, MembreJuryFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _audience(code, objet):
    type_audience = type_d_audience(code)
    return type_audience.audience(type_audience.objet(objet.pk), QueryDict(""))


def test_les_laureates_d_une_cohorte_par_leurs_membres_actifs():
    programme = ProgrammeFactory()
    coach = UtilisateurFactory(coach=True, first_name="Claire", last_name="Coach")
    ana = UtilisateurFactory(candidat=True, email="ana@a.test", first_name="Ana")
    structure = StructureFactory(nom="CCAS A", membres=[ana])
    plan = plan_pour(
        coach=coach, appel__programme=programme, appel__titre="AMI 2022", structure=structure
    )
    # Une lauréate d'un autre appel n'est pas de cette cohorte.
    plan_pour(appel__programme=programme)

    audience = _audience("cohorte", plan.candidature.appel)

    assert audience.programme == programme
    assert audience.description == "1 lauréate de la cohorte de l'appel AMI 2022"
    assert [(d.email, d.utilisateur, d.valeurs) for d in audience.destinataires] == [
        (
            "ana@a.test",
            ana,
            {
                "structure": "CCAS A",
                "commune": "Houplines",
                "appel": "AMI 2022",
                "coach": "Claire Coach",
                "prenom": "Ana",
                "nom": ana.last_name,
            },
        )
    ]
    assert audience.adresse_de_la_liste == reverse(
        "accompagnement:gestion_cohorte", args=[plan.candidature.appel.pk]
    )


def test_les_referents_d_une_session_a_leur_adresse():
    plan = plan_pour()
    session = SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        date=datetime.date(2022, 12, 6),
        lieu="Lille",
    )
    referent = ReferentFactory(
        structure=plan.structure, prenom="Léa", nom="Durand", email="lea@ccas.test"
    )
    Inscription.objects.create(session=session, referent=referent)

    audience = _audience("session", session)

    assert audience.programme == plan.programme
    assert audience.description == (
        f"1 référent inscrit à la session « {session.formation.titre} » du mardi 6 décembre 2022"
    )
    assert [(d.email, d.utilisateur, d.valeurs) for d in audience.destinataires] == [
        (
            "lea@ccas.test",
            None,
            {
                "prenom": "Léa",
                "nom": "Durand",
                "structure": plan.structure.nom,
                "formation": session.formation.titre,
                "date": "mardi 6 décembre 2022",
                "horaires": "09:00–17:00",
                "lieu": "Lille",
            },
        )
    ]


def test_les_membres_du_jury_par_leur_compte_ou_leur_adresse():
    jury = JuryFactory(appel__titre="AMI 2027")
    compte = UtilisateurFactory(membre_jury=True, email="a@jury.test", first_name="Alix")
    MembreJuryFactory(jury=jury, utilisateur=compte)
    MembreJuryFactory(jury=jury, utilisateur=None, email="b@jury.test")

    audience = _audience("jury", jury.appel)

    assert audience.description == "2 membres du jury de l'appel AMI 2027"
    assert [(d.email, d.utilisateur, d.valeurs["prenom"]) for d in audience.destinataires] == [
        ("a@jury.test", compte, "Alix"),
        ("b@jury.test", None, ""),
    ]
