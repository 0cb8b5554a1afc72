"""Chaque courriel et document qu'un programme peut réécrire offre un texte de départ qui passe
la vérification de ses propres champs : le gestionnaire part d'un texte accepté."""

import re

import pytest
from django.utils import translation

from messagerie.catalogue import courriels_des_programmes
from messagerie.documents import documents
from noyau.gabarits_surs import verifier


def test_les_modeles_reecrivables_sont_ceux_attendus():
    assert [(str(e.libelle), e.code) for e in courriels_des_programmes()] == [
        ("Candidature retenue depuis la liste d'attente", "promotion_liste_attente"),
        ("Convocation à une formation", "accompagnement_convocation"),
        ("Décision du jury", "decision_jury"),
        ("Désinscription d'une formation", "accompagnement_desinscription"),
        (
            "Rappel de convocation d'un référent à une formation (J-7, J-1)",
            "accompagnement_rappel_convocation",
        ),
        (
            "Rappel de convocation d'un référent à une formation (J-7, J-1)",
            "convocation_formation",
        ),
        ("Étape d'accompagnement en retard (chaque semaine)", "jalon_en_retard"),
        ("Étape d'accompagnement à échéance dans sept jours", "jalon_echeance_proche"),
    ]
    assert [doc.code for doc in documents()] == ["attestation_presence", "lettre_decision"]


@pytest.mark.parametrize("entree", courriels_des_programmes(), ids=lambda entree: entree.code)
def test_le_texte_de_depart_d_un_courriel_passe_la_verification(entree):
    texte = entree.texte_du_programme
    noms = [champ.nom for champ in texte.champs]
    assert len(noms) == len(set(noms))

    verifier(str(texte.sujet), noms)
    verifier(str(texte.corps), noms)


def _champs_ecrits(texte):
    return sorted(set(re.findall(r"\{\{ *(\w+)", texte)))


@pytest.mark.parametrize("entree", courriels_des_programmes(), ids=lambda entree: entree.code)
def test_le_texte_de_depart_en_anglais_garde_les_memes_champs(entree):
    texte = entree.texte_du_programme
    noms = [champ.nom for champ in texte.champs]
    with translation.override("fr"):
        francais = [str(texte.sujet), str(texte.corps)]
    with translation.override("en"):
        anglais = [str(texte.sujet), str(texte.corps)]
        for partie in anglais:
            verifier(partie, noms)
    assert anglais != francais
    assert [_champs_ecrits(t) for t in anglais] == [_champs_ecrits(t) for t in francais]


@pytest.mark.parametrize("document", documents(), ids=lambda document: document.code)
def test_le_texte_de_depart_d_un_document_passe_la_verification(document):
    verifier(str(document.texte), [champ.nom for champ in document.champs])
    with translation.override("en"):
        anglais = str(document.texte)
        verifier(anglais, [champ.nom for champ in document.champs])
    assert _champs_ecrits(anglais) == _champs_ecrits(str(document.texte))
