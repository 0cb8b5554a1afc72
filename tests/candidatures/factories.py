"""Fabriques des appels, structures et candidatures, avec un trait par état :
`AppelFactory(ouvert=True)`, `CandidatureFactory(deposee=True)`."""

import datetime

import factory
from django.utils import timezone

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from programmes.enums import EtatAppel, TypeQuestion
from programmes.models import Appel, PieceDemandee, Programme, Question
from structures.models import MembreStructure, Structure
from structures.validators import cle_de_luhn_valide
from territoires.enums import ResultatEligibilite, TypeStructure
from territoires.models import Commune
from tests.factories import UtilisateurFactory

EPCI_MEL = "200093201"


def siret_valide(numero):
    """Un SIRET fictif mais bien formé : 13 chiffres tirés du numéro, puis la clé de Luhn."""
    debut = f"9{numero:012d}"
    for cle in "0123456789":
        if cle_de_luhn_valide(debut + cle):
            return debut + cle
    raise AssertionError("une clé de Luhn existe toujours")


def commune(code_insee):
    """Une commune des données de référence chargées pour la session de tests."""
    return Commune.objects.get(code_insee=code_insee)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Programme d'inclusion numérique n° {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    partenaires = "Métropole de test\nAssociation de test"

    @factory.post_generation
    def gestionnaires(self, create, extracted, **kwargs):
        if create and extracted:
            self.gestionnaires.add(*extracted)


def _dans(jours, heure=12):
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=jours)


class AppelFactory(factory.django.DjangoModelFactory):
    """Un appel au périmètre de la MEL (moins de 21 000 habitants, aucun QPV 2024), avec ses
    règles vérifiées ; brouillon par défaut, sans question (voir `avec_questions`)."""

    class Meta:
        model = Appel
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    titre = factory.Sequence(lambda n: f"Appel à manifestation d'intérêt n° {n}")
    slug = factory.Sequence(lambda n: f"appel-{n}")
    description = "Un appel **pour** les structures des petites communes."
    ouverture = factory.LazyFunction(lambda: _dans(-10))
    date_limite = factory.LazyFunction(lambda: _dans(20))
    nombre_places = 5
    perimetre_epci = factory.LazyFunction(lambda: [EPCI_MEL])
    seuil_population = 21000
    regles_verifiees_le = factory.LazyFunction(timezone.now)
    etat = EtatAppel.BROUILLON

    class Params:
        ouvert = factory.Trait(etat=EtatAppel.OUVERT, publie_le=factory.LazyFunction(timezone.now))
        echu = factory.Trait(
            etat=EtatAppel.OUVERT,
            ouverture=factory.LazyFunction(lambda: _dans(-40)),
            date_limite=factory.LazyFunction(lambda: _dans(-1)),
        )
        clos = factory.Trait(
            etat=EtatAppel.CLOS,
            ouverture=factory.LazyFunction(lambda: _dans(-40)),
            date_limite=factory.LazyFunction(lambda: _dans(-1)),
        )

    @factory.post_generation
    def avec_questions(self, create, extracted, **kwargs):
        """`avec_questions=True` : deux questions obligatoires (texte long, oui/non), une
        facultative (nombre) et une pièce obligatoire."""
        if create and extracted:
            QuestionFactory(
                appel=self,
                ordre=1,
                type=TypeQuestion.TEXTE_LONG,
                libelle="Quels publics accueillez-vous ?",
                limite_caracteres=500,
            )
            QuestionFactory(
                appel=self,
                ordre=2,
                type=TypeQuestion.OUI_NON,
                libelle="Disposez-vous d'une salle équipée ?",
            )
            QuestionFactory(
                appel=self,
                ordre=3,
                type=TypeQuestion.NOMBRE,
                obligatoire=False,
                libelle="Combien de personnes accompagnez-vous par an ?",
            )
            PieceDemandeeFactory(appel=self, ordre=1, libelle="Statuts ou délibération")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    appel = factory.SubFactory(AppelFactory)
    ordre = factory.Sequence(int)
    type = TypeQuestion.TEXTE_COURT
    libelle = factory.Sequence(lambda n: f"Question {n}")
    obligatoire = True


class PieceDemandeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PieceDemandee

    appel = factory.SubFactory(AppelFactory)
    ordre = factory.Sequence(int)
    libelle = factory.Sequence(lambda n: f"Pièce {n}")
    obligatoire = True


class StructureFactory(factory.django.DjangoModelFactory):
    """Un CCAS de Houplines (59317), éligible à l'appel de la MEL ; `membres=[...]` ajoute des
    comptes (le premier est responsable)."""

    class Meta:
        model = Structure
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Structure de test n° {n}")
    type = TypeStructure.CCAS
    siret = factory.Sequence(siret_valide)
    commune = factory.LazyFunction(lambda: commune("59317"))
    adresse = "1 rue de la Mairie"
    code_postal = "59116"
    contact_nom = "Dominique Exemple"
    contact_email = "contact@structure.test"
    contact_telephone = "03 20 00 00 00"

    @factory.post_generation
    def membres(self, create, extracted, **kwargs):
        if create and extracted:
            for rang, utilisateur in enumerate(extracted):
                MembreStructure.objects.create(
                    structure=self, utilisateur=utilisateur, est_responsable=rang == 0
                )


def membre_de(structure, **kwargs):
    """Un compte de structure candidate qui agit pour cette structure."""
    utilisateur = UtilisateurFactory(candidat=True, **kwargs)
    MembreStructure.objects.create(structure=structure, utilisateur=utilisateur)
    return utilisateur


ELIGIBILITE_HOUPLINES = {
    "code": "59317",
    "commune": "Houplines",
    "insee_code": "59317",
    "result": ResultatEligibilite.ELIGIBLE.value,
    "reasons": ["Houplines (59317) : éligible (valeur de fabrique)"],
    "summary": "Houplines (59317) : éligible",
    "qpv": [],
}


def _depot():
    return timezone.now() - datetime.timedelta(days=2)


class CandidatureFactory(factory.django.DjangoModelFactory):
    """Une candidature à un appel ouvert ; un trait par état (`deposee=True`...). Les états
    déposés portent une éligibilité figée et une date de dépôt."""

    class Meta:
        model = Candidature

    appel = factory.SubFactory(AppelFactory, ouvert=True, avec_questions=True)
    structure = factory.SubFactory(StructureFactory)
    etat = EtatCandidature.BROUILLON

    class Params:
        deposee_traits = factory.Trait(
            premier_depot_le=factory.LazyFunction(_depot),
            deposee_le=factory.LazyFunction(_depot),
            eligibilite=factory.LazyFunction(lambda: dict(ELIGIBILITE_HOUPLINES)),
            resultat_eligibilite=ResultatEligibilite.ELIGIBLE,
        )
        deposee = factory.Trait(etat=EtatCandidature.DEPOSEE, deposee_traits=True)
        a_completer = factory.Trait(
            etat=EtatCandidature.A_COMPLETER,
            deposee_traits=True,
            demande_complement="Joignez les statuts signés.",
        )
        irrecevable = factory.Trait(
            etat=EtatCandidature.IRRECEVABLE, deposee_traits=True, motif_irrecevabilite="Hors"
        )
        recevable = factory.Trait(etat=EtatCandidature.RECEVABLE, deposee_traits=True)
        retenue = factory.Trait(etat=EtatCandidature.RETENUE, deposee_traits=True)
        liste_attente = factory.Trait(etat=EtatCandidature.LISTE_ATTENTE, deposee_traits=True)
        non_retenue = factory.Trait(etat=EtatCandidature.NON_RETENUE, deposee_traits=True)
        retiree = factory.Trait(etat=EtatCandidature.RETIREE)


def candidature_dans_l_etat(etat, **kwargs):
    """`candidature_dans_l_etat("deposee")` : le trait du même nom, pour les tests
    paramétrés sur tous les états."""
    if etat == EtatCandidature.BROUILLON:
        return CandidatureFactory(**kwargs)
    return CandidatureFactory(**{etat: True}, **kwargs)
