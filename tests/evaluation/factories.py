"""Fabriques du jury : `JuryFactory()` donne un appel en évaluation, sa grille de deux
critères et une date limite de notation dans une semaine."""

import datetime

import factory
from django.utils import timezone

from evaluation.models import (
    Affectation,
    ConflitInterets,
    Critere,
    Deliberation,
    Grille,
    Jury,
    MembreJury,
)
from programmes.enums import EtatAppel
from tests.candidatures.factories import AppelFactory
from tests.factories import UtilisateurFactory


class JuryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jury
        skip_postgeneration_save = True

    appel = factory.SubFactory(AppelFactory, clos=True, etat=EtatAppel.EN_EVALUATION)
    date_limite_notation = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    )

    @factory.post_generation
    def criteres(self, create, extracted, **kwargs):
        """Par défaut : « Adéquation » (poids 3, sur 5) et « Partenariats » (poids 1, sur 10).
        `criteres=[(libellé, poids, maximum), ...]` pour une autre grille."""
        if not create:
            return
        grille = Grille.objects.create(appel=self.appel)
        for ordre, (libelle, poids, maximum) in enumerate(
            extracted or [("Adéquation", 3, 5), ("Partenariats", 1, 10)], start=1
        ):
            Critere.objects.create(
                grille=grille, ordre=ordre, libelle=libelle, poids=poids, maximum=maximum
            )


class MembreJuryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembreJury

    jury = factory.SubFactory(JuryFactory)
    utilisateur = factory.SubFactory(UtilisateurFactory, membre_jury=True)
    email = factory.LazyAttribute(lambda membre: membre.utilisateur.email)


class AffectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affectation

    membre = factory.SubFactory(MembreJuryFactory)
    candidature = factory.SubFactory(
        "tests.candidatures.factories.CandidatureFactory",
        recevable=True,
        appel=factory.SelfAttribute("..membre.jury.appel"),
    )


class ConflitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflitInterets

    en_conflit = True
    type = "salarie"


class DeliberationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliberation


def noter(candidature, utilisateur, valeurs, *, valider=True, commentaire=""):
    """Note une candidature par le service, une valeur par critère dans l'ordre de la grille."""
    from evaluation import services

    criteres = list(Critere.objects.filter(grille__appel_id=candidature.appel_id))
    return services.enregistrer_notes(
        candidature,
        par=utilisateur,
        notes={c.pk: (v, "") for c, v in zip(criteres, valeurs, strict=True)},
        commentaire=commentaire,
        valider=valider,
    )


def membre_sans_conflit(jury, candidature, **kwargs):
    """Un membre affecté à la candidature, qui a déclaré n'avoir aucun conflit."""
    from evaluation import services

    membre = MembreJuryFactory(jury=jury, **kwargs)
    AffectationFactory(membre=membre, candidature=candidature)
    services.declarer_conflit(candidature, par=membre.utilisateur, en_conflit=False)
    return membre


def membre_note(jury, candidature, valeurs, *, valider=True, commentaire="", **kwargs):
    """Un membre affecté, sans conflit, qui a noté la candidature."""
    membre = membre_sans_conflit(jury, candidature, **kwargs)
    noter(candidature, membre.utilisateur, valeurs, valider=valider, commentaire=commentaire)
    return membre


def donnees_de_la_grille(appel_id, *, maximums):
    """Le formulaire de la grille tel que le gestionnaire l'envoie : chaque critère tel quel,
    sauf les maximums donnés ({libellé: maximum})."""
    grille = Grille.objects.get(appel_id=appel_id)
    criteres = list(grille.criteres.all())
    donnees = {
        "criteres-TOTAL_FORMS": str(len(criteres)),
        "criteres-INITIAL_FORMS": str(len(criteres)),
        "criteres-MIN_NUM_FORMS": "0",
        "criteres-MAX_NUM_FORMS": "1000",
    }
    for rang, critere in enumerate(criteres):
        donnees.update(
            {
                f"criteres-{rang}-id": str(critere.pk),
                f"criteres-{rang}-grille": str(grille.pk),
                f"criteres-{rang}-ordre": str(critere.ordre),
                f"criteres-{rang}-libelle": critere.libelle,
                f"criteres-{rang}-aide": critere.aide,
                f"criteres-{rang}-poids": str(critere.poids),
                f"criteres-{rang}-maximum": str(maximums.get(critere.libelle, critere.maximum)),
            }
        )
    return donnees


def seance_au_quorum(appel, gestionnaire):
    """La séance de délibération tenue il y a une heure, tous les membres du jury présents,
    quorum d'un membre : la publication peut suivre."""
    import datetime

    from django.utils import timezone

    from evaluation import services

    services.enregistrer_seance(
        appel,
        par=gestionnaire,
        date=timezone.now() - datetime.timedelta(hours=1),
        presents=list(MembreJury.objects.filter(jury__appel=appel)),
        quorum=1,
        proces_verbal="",
    )
