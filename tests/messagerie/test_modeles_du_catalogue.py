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
        ("Appel rouvert (aux structures qui ont un brouillon)", "appel_rouvert"),
        ("Candidature déposée (accusé de réception)", "candidature_deposee"),
        ("Candidature en brouillon avant la date limite", "brouillon_date_limite"),
        ("Candidature non recevable", "candidature_irrecevable"),
        ("Candidature recevable", "candidature_recevable"),
        ("Candidature retenue depuis la liste d'attente", "promotion_liste_attente"),
        ("Candidature à compléter", "candidature_a_completer"),
        ("Candidatures confiées au jury (avis d'affectation)", "jury_affectation"),
        ("Candidatures à instruire après la clôture d'un appel", "candidatures_a_instruire"),
        ("Coach affecté à une structure", "accompagnement_coach_affecte"),
        ("Convocation à une formation", "accompagnement_convocation"),
        ("Demande de complément restée sans réponse", "complement_sans_reponse"),
        ("Décision du jury", "decision_jury"),
        ("Désinscription d'une formation", "accompagnement_desinscription"),
        ("Invitation au comité de clôture", "invitation_comite_cloture"),
        ("Notes du jury à valider avant la date limite", "jury_date_limite_notation"),
        ("Nouveau message dans un fil de discussion", "message_fil"),
        ("Pensez à saisir votre activité du mois", "saisie_activite"),
        (
            "Rappel de convocation d'un référent à une formation (J-7, J-1)",
            "accompagnement_rappel_convocation",
        ),
        (
            "Rappel de convocation d'un référent à une formation (J-7, J-1)",
            "convocation_formation",
        ),
        ("Retrait d'un lauréat", "laureat_retire"),
        ("Réponse attendue dans un fil de discussion", "reponse_attendue"),
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
