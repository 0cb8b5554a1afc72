"""Fabriques de l'activité des structures : `ActionFactory(parcours_tablette=True)`,
`ParticipationFactory(complet=True)`…"""

import datetime
from decimal import Decimal

import factory

from activite.enums import Genre, StatutParticipation, TypeAction
from activite.models import Action, Beneficiaire, ListeAttente, Participation, Theme
from tests.candidatures.factories import StructureFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["libelle"]

    libelle = "Accès aux droits"


class BeneficiaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiaire

    structure = factory.SubFactory(StructureFactory)
    code = factory.Sequence(lambda n: f"B{n:04d}")
    genre = Genre.FEMME
    annee_naissance = 1960


class ActionFactory(factory.django.DjangoModelFactory):
    """Un atelier de deux heures par défaut ; un trait par autre type."""

    class Meta:
        model = Action

    structure = factory.SubFactory(StructureFactory)
    type = TypeAction.ATELIER
    ref = factory.Sequence(lambda n: f"A{n}")
    theme = factory.SubFactory(ThemeFactory)
    date_debut = datetime.date(2023, 3, 14)
    date_fin = None
    duree_heures = Decimal("2")

    class Params:
        permanence = factory.Trait(type=TypeAction.PERMANENCE, duree_heures=Decimal("1"))
        parcours_ordinateur = factory.Trait(
            type=TypeAction.PARCOURS_ORDINATEUR,
            theme=None,
            date_fin=factory.LazyAttribute(lambda a: a.date_debut + datetime.timedelta(days=42)),
            duree_heures=Decimal("12"),
        )
        parcours_tablette = factory.Trait(
            type=TypeAction.PARCOURS_TABLETTE,
            theme=None,
            date_fin=factory.LazyAttribute(lambda a: a.date_debut + datetime.timedelta(days=42)),
            duree_heures=Decimal("14.5"),
        )


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    action = factory.SubFactory(ActionFactory)
    beneficiaire = factory.SubFactory(
        BeneficiaireFactory, structure=factory.SelfAttribute("..action.structure")
    )
    statut = StatutParticipation.PRESENT

    class Params:
        en_cours = factory.Trait(statut=StatutParticipation.EN_COURS)
        complet = factory.Trait(statut=StatutParticipation.COMPLET)
        abandon = factory.Trait(statut=StatutParticipation.ABANDON)


class ListeAttenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListeAttente

    structure = factory.SubFactory(StructureFactory)
    date = datetime.date(2023, 6, 1)
    nombre = 10
