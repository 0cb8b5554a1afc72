"""Chaque transition, depuis chaque état : les états permis atteignent la cible et sont
journalisés (acteur, état de départ, motif) ; les autres sont refusés avec un message clair."""

import pytest
from django_fsm import TransitionNotAllowed

from candidatures import services
from candidatures.enums import EtatCandidature
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, ActionNonPermise
from programmes.enums import EtatAppel
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    QuestionFactory,
    candidature_dans_l_etat,
    membre_de,
)
from tests.candidatures.fichiers import fichier
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

E = EtatCandidature


def _derniere_transition(objet):
    log = Evenement.objects.changements_d_etat().de(objet).order_by("-pk").first()
    return (log.transition, log.depuis, log.vers, log.acteur, log.motif)


def _completer(candidature, par):
    """Répond à tout ce qui est obligatoire, pour que le dépôt ne bute que sur l'état."""
    if not candidature.est_modifiable:
        return
    questions = list(candidature.appel.questions.all())
    reponses = {questions[0].pk: "Des seniors isolés.", questions[1].pk: True}
    services.enregistrer_reponses(candidature, par=par, reponses=reponses)
    services.joindre_fichier(
        candidature,
        par=par,
        fichier=fichier("statuts.pdf"),
        piece_demandee=candidature.appel.pieces_demandees.get(),
    )


# --- Candidature : services des structures -------------------------------------------------

SERVICES_STRUCTURE = {
    "deposer": ([E.BROUILLON], E.DEPOSEE),
    "redeposer": ([E.A_COMPLETER], E.DEPOSEE),
    "retirer": ([E.BROUILLON, E.DEPOSEE, E.A_COMPLETER, E.RECEVABLE], E.RETIREE),
}


def _appeler_service_structure(nom, candidature, par):
    if nom == "deposer":
        return services.deposer_candidature(candidature, par=par)
    if nom == "redeposer":
        return services.redeposer_candidature(candidature, par=par)
    return services.retirer_candidature(candidature, par=par, motif="Projet reporté")


@pytest.mark.parametrize("etat", E.values)
@pytest.mark.parametrize("transition", list(SERVICES_STRUCTURE))
def test_transition_de_la_structure_depuis_chaque_etat(transition, etat):
    sources, cible = SERVICES_STRUCTURE[transition]
    candidature = candidature_dans_l_etat(etat)
    candidat = membre_de(candidature.structure)
    _completer(candidature, candidat)

    if etat in sources:
        _appeler_service_structure(transition, candidature, candidat)
        candidature.refresh_from_db()
        assert candidature.etat == cible
        nom, depuis, vers, par, _ = _derniere_transition(candidature)
        assert (nom, depuis, vers, par) == (transition, etat, cible, candidat)
    else:
        with pytest.raises(ActionImpossible) as refus:
            _appeler_service_structure(transition, candidature, candidat)
        assert f"est à l'état « {E(etat).label} »" in refus.value.message
        candidature.refresh_from_db()
        assert candidature.etat == etat


# --- Candidature : services des gestionnaires ----------------------------------------------

SERVICES_GESTION = {
    "demander_complement": (
        E.A_COMPLETER,
        lambda c, par: services.demander_complement(c, par=par, message="Joignez le budget."),
        "Joignez le budget.",
    ),
    "declarer_irrecevable": (
        E.IRRECEVABLE,
        lambda c, par: services.declarer_irrecevable(c, par=par, motif="Hors périmètre."),
        "Hors périmètre.",
    ),
    "declarer_recevable": (
        E.RECEVABLE,
        lambda c, par: services.declarer_recevable(c, par=par),
        "Recevable",
    ),
}


@pytest.mark.parametrize("etat", E.values)
@pytest.mark.parametrize("transition", list(SERVICES_GESTION))
def test_transition_d_instruction_depuis_chaque_etat(transition, etat):
    cible, appeler, motif = SERVICES_GESTION[transition]
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    candidature = candidature_dans_l_etat(etat)
    candidature.appel.programme.gestionnaires.add(gestionnaire)

    if etat == E.DEPOSEE:
        appeler(candidature, gestionnaire)
        candidature.refresh_from_db()
        assert candidature.etat == cible
        assert _derniere_transition(candidature) == (transition, etat, cible, gestionnaire, motif)
    else:
        with pytest.raises(ActionImpossible) as refus:
            appeler(candidature, gestionnaire)
        assert refus.value.message.startswith("Impossible de ")
        assert f"la candidature est à l'état « {E(etat).label} »" in refus.value.message
        candidature.refresh_from_db()
        assert candidature.etat == etat


# --- Candidature : décisions du jury (transitions du modèle, sans interface encore) --------

DECISIONS = {
    "retenir": ([E.RECEVABLE, E.LISTE_ATTENTE], E.RETENUE),
    "mettre_en_liste_attente": ([E.RECEVABLE], E.LISTE_ATTENTE),
    "ne_pas_retenir": ([E.RECEVABLE], E.NON_RETENUE),
}


@pytest.mark.parametrize("etat", E.values)
@pytest.mark.parametrize("transition", list(DECISIONS))
def test_decision_depuis_chaque_etat(transition, etat):
    sources, cible = DECISIONS[transition]
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    candidature = candidature_dans_l_etat(etat)
    candidature.appel.programme.gestionnaires.add(gestionnaire)
    methode = getattr(candidature, transition)

    if etat in sources:
        methode(by=gestionnaire, description="Délibération du jury")
        candidature.save()
        candidature.refresh_from_db()
        assert candidature.etat == cible
        assert candidature.decidee_le is not None
        assert _derniere_transition(candidature) == (
            transition,
            etat,
            cible,
            gestionnaire,
            "Délibération du jury",
        )
    else:
        with pytest.raises(TransitionNotAllowed):
            methode(by=gestionnaire)
        assert candidature.etat == etat


# --- Appel --------------------------------------------------------------------------------

TRANSITIONS_APPEL = {
    "publier": (EtatAppel.BROUILLON, EtatAppel.OUVERT),
    "clore": (EtatAppel.OUVERT, EtatAppel.CLOS),
    "lancer_evaluation": (EtatAppel.CLOS, EtatAppel.EN_EVALUATION),
    "ouvrir_deliberation": (EtatAppel.EN_EVALUATION, EtatAppel.EN_DELIBERATION),
    "marquer_decide": (EtatAppel.EN_DELIBERATION, EtatAppel.DECIDE),
    "archiver": (EtatAppel.DECIDE, EtatAppel.ARCHIVE),
}


@pytest.mark.parametrize("etat", EtatAppel.values)
@pytest.mark.parametrize("transition", list(TRANSITIONS_APPEL))
def test_transition_d_appel_depuis_chaque_etat(transition, etat):
    source, cible = TRANSITIONS_APPEL[transition]
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel = AppelFactory(etat=etat)
    appel.programme.gestionnaires.add(gestionnaire)
    QuestionFactory(appel=appel)

    if etat == source:
        if transition == "publier":
            services.publier_appel(appel, par=gestionnaire)
        elif transition == "clore":
            services.clore_appel(appel, par=gestionnaire, motif="Clôture anticipée")
        else:
            getattr(appel, transition)(by=gestionnaire, description="Étape suivante")
            appel.save()
        appel.refresh_from_db()
        assert appel.etat == cible
        nom, depuis, vers, par, _ = _derniere_transition(appel)
        assert (nom, depuis, vers, par) == (transition, etat, cible, gestionnaire)
    elif transition in ("publier", "clore"):
        service = services.publier_appel if transition == "publier" else services.clore_appel
        with pytest.raises(ActionImpossible) as refus:
            service(appel, par=gestionnaire)
        assert f"l'appel est à l'état « {EtatAppel(etat).label} »" in refus.value.message
    else:
        with pytest.raises(TransitionNotAllowed):
            getattr(appel, transition)(by=gestionnaire)


def test_transition_refusee_au_gestionnaire_d_un_autre_programme():
    autre = UtilisateurFactory(gestionnaire=True)
    candidature = CandidatureFactory(deposee=True)
    with pytest.raises(ActionNonPermise):
        services.declarer_recevable(candidature, par=autre)
    candidature.refresh_from_db()
    assert candidature.etat == E.DEPOSEE
    assert candidature.recevabilite_decidee_le is None


def test_le_bouton_d_une_transition_suit_la_meme_regle_que_le_service():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    autre = UtilisateurFactory(gestionnaire=True)
    candidature = CandidatureFactory(deposee=True)
    candidature.appel.programme.gestionnaires.add(gestionnaire)
    disponibles = {t.name for t in candidature.get_available_user_etat_transitions(gestionnaire)}
    assert disponibles == {"demander_complement", "declarer_irrecevable", "declarer_recevable"}
    assert {t.name for t in candidature.get_available_user_etat_transitions(autre)} == set()
    membre = membre_de(candidature.structure)
    assert {t.name for t in candidature.get_available_user_etat_transitions(membre)} == {"retirer"}
