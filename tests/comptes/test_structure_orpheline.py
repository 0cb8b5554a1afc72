"""Après la suppression du seul compte d'une structure, un ou une collègue la reprend : le
gestionnaire d'un programme où elle a candidaté l'invite dans la structure existante (son
SIRET interdit de la recréer), et la personne invitée en devient responsable (issue #15,
point 11)."""

import re

import pytest
from django.urls import reverse

from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie.models import Message
from structures.models import InvitationStructure, MembreStructure
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = pytest.mark.django_db

NOUVEAU_MOT_DE_PASSE = "Reprendre-la-structure-2026"


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@mel.test")


@pytest.fixture
def structure(gestionnaire):
    seule = UtilisateurFactory(candidat=True, email="claire@ccas-houplines.test")
    structure = StructureFactory(nom="CCAS de Houplines", membres=[seule])
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    CandidatureFactory(appel__programme=programme, structure=structure, retenue=True)
    return structure


def test_la_page_de_suppression_donne_le_vrai_chemin(client, structure):
    client.force_login(structure.membres.get())

    page = client.get(reverse("supprimer_mon_compte")).content.decode()

    assert (
        "Si vous étiez la seule personne de votre structure sur Relais, un ou une collègue "
        "demande au gestionnaire du programme de l'inviter dans la structure : il lui "
        "envoie un lien depuis sa page « Invitations ». La structure ne peut pas être créée à "
        "nouveau, son SIRET y est déjà enregistré."
    ) in page


def test_un_collegue_reprend_la_structure_apres_la_suppression_du_seul_compte(
    client, gestionnaire, structure
):
    # 1. La seule personne de la structure supprime son compte.
    client.force_login(structure.membres.get())
    client.post(
        reverse("supprimer_mon_compte"), {"mot_de_passe": MOT_DE_PASSE, "confirmation": "on"}
    )
    assert MembreStructure.objects.filter(structure=structure).count() == 0

    # 2. Le gestionnaire invite un ou une collègue dans la structure existante.
    client.force_login(gestionnaire)
    page = client.get(reverse("invitations")).content.decode()
    assert "Rattacher une personne à une structure" in page
    assert f'<option value="{structure.pk}">CCAS de Houplines' in page
    reponse = client.post(
        reverse("invitation_dans_une_structure"),
        {"structure-email": "karim@ccas-houplines.test", "structure-structure": structure.pk},
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("invitations")
    invitation = InvitationStructure.objects.get(email="karim@ccas-houplines.test")
    assert (invitation.structure, invitation.invitee_par) == (structure, gestionnaire)
    assert (
        Evenement.objects.filter(
            type=TypeEvenement.MEMBRE_STRUCTURE_INVITE, acteur=gestionnaire
        ).count()
        == 1
    )

    # 3. La personne invitée ouvre le lien, crée son compte et devient responsable.
    client.logout()
    message = Message.objects.get(destinataire="karim@ccas-houplines.test")
    chemin = re.search(r"https?://[^/]+(/\S+)", message.corps_texte).group(1)
    reponse = client.post(
        chemin,
        {
            "prenom": "Karim",
            "nom": "Benali",
            "mot_de_passe": NOUVEAU_MOT_DE_PASSE,
            "confirmation": NOUVEAU_MOT_DE_PASSE,
        },
    )
    assert reponse.status_code == 302
    adhesion = MembreStructure.objects.get(structure=structure)
    assert (adhesion.utilisateur.email, adhesion.est_responsable) == (
        "karim@ccas-houplines.test",
        True,
    )

    # 4. Responsable, elle invite à son tour une collègue depuis la page de la structure.
    reponse = client.post(
        reverse("candidatures:structure_inviter", args=[structure.pk]),
        {"email": "ines@ccas-houplines.test"},
    )
    assert reponse.status_code == 302
    assert InvitationStructure.objects.filter(email="ines@ccas-houplines.test").count() == 1


def test_invitation_refusee_dans_une_structure_hors_de_ses_programmes(client, structure):
    autre_gestionnaire = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[autre_gestionnaire])
    client.force_login(autre_gestionnaire)

    reponse = client.post(
        reverse("invitation_dans_une_structure"),
        {"structure-email": "karim@ccas-houplines.test", "structure-structure": structure.pk},
    )

    assert reponse.status_code == 400
    assert "Choisissez une des structures qui ont candidaté à vos programmes." in (
        reponse.content.decode().replace("&#x27;", "'")
    )
    assert 'value="karim@ccas-houplines.test"' in reponse.content.decode()
    assert InvitationStructure.objects.count() == 0


def test_invitation_dans_une_structure_refusee_a_qui_n_est_pas_gestionnaire(client, structure):
    candidat = UtilisateurFactory(candidat=True)
    client.force_login(candidat)

    reponse = client.post(
        reverse("invitation_dans_une_structure"),
        {"structure-email": "karim@ccas-houplines.test", "structure-structure": structure.pk},
    )

    assert reponse.status_code == 403
    assert InvitationStructure.objects.count() == 0


def test_un_nouveau_membre_n_est_pas_responsable_quand_la_structure_en_a_un(structure):
    from candidatures import services

    responsable = structure.membres.get()
    invitation, jeton = services.inviter_dans_structure(
        structure, email="karim@ccas-houplines.test", par=responsable
    )
    services.accepter_invitation_structure(
        jeton, prenom="Karim", nom="Benali", mot_de_passe=NOUVEAU_MOT_DE_PASSE
    )

    assert MembreStructure.objects.get(utilisateur__email=invitation.email).est_responsable is False
