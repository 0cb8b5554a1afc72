"""Les transitions de l'évaluation passent par `noyau.transitions.appliquer_transition` : la
date de modification avance, le signal `transition_appliquee` part, et le plan
d'accompagnement d'un lauréat en est la suite, dans la même transaction, sans que
l'évaluation importe l'accompagnement."""

import ast
from pathlib import Path

import pytest
from django.dispatch import receiver

from accompagnement.models import PlanAccompagnement
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from evaluation import services
from evaluation.enums import SensDecision
from noyau.transitions import transition_appliquee
from programmes.enums import EtatAppel
from programmes.models import Appel
from tests.candidatures.factories import ProgrammeFactory
from tests.evaluation.factories import seance_au_quorum
from tests.evaluation.resultats import STRUCTURES, appel_en_deliberation

pytestmark = pytest.mark.django_db

RACINE = Path(__file__).resolve().parents[2]


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire])


def _decisions_enregistrees(jury, candidatures, gestionnaire):
    appel = Appel.objects.get(pk=jury.appel_id)
    services.enregistrer_decisions(
        appel,
        par=gestionnaire,
        decisions={
            candidatures[lettre].pk: (sens, motif) for lettre, _valeurs, sens, motif in STRUCTURES
        },
    )
    seance_au_quorum(appel, gestionnaire)
    return Appel.objects.get(pk=jury.appel_id)


def test_l_evaluation_n_importe_pas_l_accompagnement():
    importes = set()
    for fichier in (RACINE / "evaluation").rglob("*.py"):
        for noeud in ast.walk(ast.parse(fichier.read_text())):
            if isinstance(noeud, ast.Import):
                importes.update(alias.name for alias in noeud.names)
            elif isinstance(noeud, ast.ImportFrom) and noeud.module:
                importes.add(noeud.module)
    assert not {module for module in importes if module.split(".")[0] == "accompagnement"}


def test_la_publication_passe_chaque_candidature_par_le_noyau(programme, gestionnaire):
    jury, candidatures = appel_en_deliberation(programme, gestionnaire)
    appel = _decisions_enregistrees(jury, candidatures, gestionnaire)
    avant = dict(Candidature.objects.filter(appel=appel).values_list("pk", "modifiee_le"))
    appel_modifie_le = appel.modifie_le
    recues = []

    @receiver(transition_appliquee)
    def noter(sender, objet, transition, source, cible, **_arguments):
        recues.append((sender, objet.pk, transition, cible))

    try:
        services.publier_resultats(appel, par=gestionnaire)
    finally:
        transition_appliquee.disconnect(noter)

    transitions = {
        SensDecision.RETENUE: ("retenir", EtatCandidature.RETENUE),
        SensDecision.LISTE_ATTENTE: ("mettre_en_liste_attente", EtatCandidature.LISTE_ATTENTE),
        SensDecision.NON_RETENUE: ("ne_pas_retenir", EtatCandidature.NON_RETENUE),
    }
    attendues = {
        (Candidature, candidatures[lettre].pk, *transitions[sens])
        for lettre, _valeurs, sens, _motif in STRUCTURES
    }
    assert set(recues) == attendues | {(Appel, appel.pk, "marquer_decide", EtatAppel.DECIDE)}
    apres = dict(Candidature.objects.filter(appel=appel).values_list("pk", "modifiee_le"))
    assert all(apres[pk] > avant[pk] for pk in avant)
    assert Appel.objects.get(pk=appel.pk).modifie_le > appel_modifie_le
    retenues = {candidatures["A"].pk, candidatures["D"].pk}
    assert set(PlanAccompagnement.objects.values_list("candidature_id", flat=True)) == retenues


def test_les_plans_des_laureats_suivent_l_echec_de_la_publication(programme, gestionnaire):
    """Les plans se créent dans la transaction de la publication : qu'elle échoue après
    eux (ici au passage de l'appel à « décidé »), et il n'en reste rien."""
    jury, candidatures = appel_en_deliberation(programme, gestionnaire)
    appel = _decisions_enregistrees(jury, candidatures, gestionnaire)

    @receiver(transition_appliquee, sender=Appel)
    def echouer(sender, cible, **_arguments):
        if cible == EtatAppel.DECIDE:
            raise RuntimeError("panne après les plans")

    try:
        with pytest.raises(RuntimeError):
            services.publier_resultats(appel, par=gestionnaire)
    finally:
        transition_appliquee.disconnect(echouer, sender=Appel)

    assert not PlanAccompagnement.objects.exists()
    assert Appel.objects.get(pk=appel.pk).etat == EtatAppel.EN_DELIBERATION
    assert set(Candidature.objects.filter(appel=appel).values_list("etat", flat=True)) == {
        EtatCandidature.RECEVABLE
    }
