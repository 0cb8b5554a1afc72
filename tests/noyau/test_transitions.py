"""Le seul chemin d'un changement d'état : règle, état, exécution, enregistrement, journal."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from journal.selectors import historique
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.transitions import (
    SUITE_D_UNE_ACTION,
    appliquer_transition,
    exiger_transition,
    motif_obligatoire,
    permission_de_la_transition,
    transition_appliquee,
)
from programmes.enums import EtatAppel
from programmes.models import Appel
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")


@pytest.fixture
def appel(gestionnaire):
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    appel = AppelFactory(programme=programme, avec_questions=True)
    Appel.objects.filter(pk=appel.pk).update(modifie_le=timezone.now() - datetime.timedelta(days=3))
    return Appel.objects.get(pk=appel.pk)


@pytest.fixture
def suites():
    recues = []

    def recepteur(sender, **kwargs):
        recues.append((sender, kwargs["transition"], kwargs["source"], kwargs["cible"]))

    transition_appliquee.connect(recepteur)
    yield recues
    transition_appliquee.disconnect(recepteur)


def test_la_transition_enregistre_l_etat_ses_champs_et_la_date_puis_journalise(
    appel, gestionnaire, suites
):
    avant = appel.modifie_le
    resultat = appliquer_transition(appel, "publier", par=gestionnaire, motif="Publication")

    relu = Appel.objects.get(pk=appel.pk)
    assert (relu.etat, relu.publie_le is not None, relu.modifie_le > avant) == (
        EtatAppel.OUVERT,
        True,
        True,
    )
    assert resultat.etat == EtatAppel.OUVERT
    derniere = historique(relu)[-1]
    assert (derniere.acteur, derniere.depuis, derniere.vers, derniere.motif) == (
        gestionnaire,
        EtatAppel.BROUILLON,
        EtatAppel.OUVERT,
        "Publication",
    )
    assert suites == [(Appel, "publier", EtatAppel.BROUILLON, EtatAppel.OUVERT)]


def test_sans_la_regle_le_refus_est_un_403_et_rien_ne_change(appel, suites):
    intrus = UtilisateurFactory(gestionnaire=True, email="autre@exemple.test")
    with pytest.raises(ActionNonPermise) as refus:
        appliquer_transition(appel, "publier", par=intrus)
    assert refus.value.message == "Votre compte ne permet pas cette action."
    assert Appel.objects.get(pk=appel.pk).etat == EtatAppel.BROUILLON
    assert suites == []


def test_un_etat_qui_ne_permet_pas_la_transition_est_un_409_lisible(appel, gestionnaire):
    with pytest.raises(ActionImpossible) as refus:
        appliquer_transition(appel, "clore", par=gestionnaire)
    assert refus.value.message == (
        f"Impossible : « {appel.titre} » est à l'état « Brouillon ». L'action a peut-être déjà "
        "été faite."
    )
    with pytest.raises(ActionImpossible) as refus:
        appliquer_transition(
            appel, "clore", par=gestionnaire, refus_etat=ActionImpossible("Pas encore ouvert.")
        )
    assert refus.value.message == "Pas encore ouvert."


def test_une_condition_qui_ne_tient_plus_donne_un_refus_lisible(appel, gestionnaire):
    appel.questions.all().delete()
    with pytest.raises(ActionImpossible) as refus:
        appliquer_transition(appel, "publier", par=gestionnaire, action="publier l'appel")
    assert refus.value.message == (
        "Impossible de publier l'appel : les conditions ne sont plus réunies. Rechargez la page "
        "pour voir l'état à jour."
    )
    assert Appel.objects.get(pk=appel.pk).etat == EtatAppel.BROUILLON


def test_une_tache_planifiee_agit_sans_regle_a_verifier(appel, gestionnaire):
    appel = appliquer_transition(appel, "publier", par=gestionnaire)
    appliquer_transition(appel, "clore", par=None, motif="Date limite atteinte")
    relu = Appel.objects.get(pk=appel.pk)
    assert (relu.etat, relu.clos_le is not None) == (EtatAppel.CLOS, True)
    derniere = historique(relu)[-1]
    assert (derniere.acteur, derniere.motif) == (None, "Date limite atteinte")


def test_une_suite_qui_echoue_annule_la_transition(appel, gestionnaire):
    def suite_en_echec(sender, **kwargs):
        raise RuntimeError("suite en échec")

    transition_appliquee.connect(suite_en_echec)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            appliquer_transition(appel, "publier", par=gestionnaire)
    finally:
        transition_appliquee.disconnect(suite_en_echec)
    assert Appel.objects.get(pk=appel.pk).etat == EtatAppel.BROUILLON


def test_verifier_sans_agir_et_lire_la_regle_declaree(appel, gestionnaire):
    assert permission_de_la_transition(appel, "publier") == "candidatures.gerer_appel"
    exiger_transition(appel, "publier", par=gestionnaire)
    assert Appel.objects.get(pk=appel.pk).etat == EtatAppel.BROUILLON
    with pytest.raises(TypeError):
        appliquer_transition(appel, "titre", par=gestionnaire)


def test_le_motif_obligatoire_est_nettoye_ou_refuse():
    assert motif_obligatoire("  Erreur de date  ", "Le motif est obligatoire.") == (
        "Erreur de date"
    )
    with pytest.raises(DonneesRefusees) as refus:
        motif_obligatoire("   ", "Le motif est obligatoire.")
    assert refus.value.message == "Le motif est obligatoire."


def test_la_suite_d_une_action_deja_permise_ne_redemande_pas_de_regle(appel, gestionnaire):
    """Le service a vérifié la règle de l'action (ici, rien) ; la transition qui suit passe
    pour une personne qui n'aurait pas la règle de la transition elle-même."""
    collegue = UtilisateurFactory(candidat=True, email="structure@exemple.test")
    appliquer_transition(appel, "publier", par=collegue, permission=SUITE_D_UNE_ACTION)
    derniere = historique(Appel.objects.get(pk=appel.pk))[-1]
    assert (derniere.acteur, derniere.vers) == (collegue, EtatAppel.OUVERT)
