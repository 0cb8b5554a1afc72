"""Fabriques de l'accompagnement : `PlanFactory()` crée une candidature retenue et son plan
avec les jalons du modèle par défaut, comme le fait la publication des résultats."""

import datetime

import factory

from accompagnement import services
from accompagnement.models import Formation, Referent, SessionFormation
from tests.candidatures.factories import CandidatureFactory
from tests.factories import UtilisateurFactory

DEBUT = datetime.date(2022, 10, 3)


def plan_pour(*, coach=None, date_debut=DEBUT, **kwargs):
    """Un plan créé par le service, pour une candidature retenue fabriquée avec `kwargs`."""
    candidature = CandidatureFactory(retenue=True, **kwargs)
    plan = services.creer_plan_pour(candidature, par=None, date_debut=date_debut)
    if coach is not None:
        plan.coach = coach
        plan.save(update_fields=["coach"])
    return plan


class ReferentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referent

    prenom = factory.Sequence(lambda n: f"Prénom{n}")
    nom = factory.Sequence(lambda n: f"Nom{n}")
    fonction = "Conseillère en insertion"
    email = factory.Sequence(lambda n: f"referent{n}@structure.test")


class SessionFactory(factory.django.DjangoModelFactory):
    """Une session d'une formation (à passer : `formation_de(plan, type)`), ouverte aux plans
    de `plans=[...]`."""

    class Meta:
        model = SessionFormation
        skip_postgeneration_save = True

    date = datetime.date(2022, 12, 6)
    lieu = "Maison des associations, Lille"
    formateur = factory.SubFactory(UtilisateurFactory, coach=True)
    capacite = 12

    @factory.post_generation
    def plans(self, create, extracted, **kwargs):
        if create and extracted:
            self.plans.set(extracted)


def formation_de(plan, type_jalon):
    return Formation.objects.get(programme=plan.programme, type_jalon=type_jalon)
