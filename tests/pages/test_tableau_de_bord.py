"""Mon espace et la page publique d'un appel : ce qui est proposé à chacun, et ce qui répond
vraiment quand on le suit (issue #15, point 10)."""

import pytest
from django.urls import reverse

from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

LIEN_ACTIVITE = "Activité : ateliers, permanences et parcours"
REFUS_ACTIVITE = (
    "L&#x27;activité (ateliers, permanences, parcours) se saisit une fois la structure lauréate "
    "d&#x27;un appel, par les personnes de la structure et sa coach."
)


def test_tableau_de_bord_nomme_les_roles_en_toutes_lettres(client):
    personne = UtilisateurFactory(candidat=True, membre_jury=True)
    client.force_login(personne)

    page = client.get(reverse("tableau_de_bord")).content.decode()

    assert "Vos rôles : Structure candidate, Membre du jury." in page
    assert "membre_jury" not in page


def test_tableau_de_bord_ne_propose_pas_l_activite_a_une_structure_non_laureate(client):
    candidat = UtilisateurFactory(candidat=True)
    structure = StructureFactory(membres=[candidat])
    CandidatureFactory(structure=structure, deposee=True)
    client.force_login(candidat)

    page = client.get(reverse("tableau_de_bord")).content.decode()

    assert LIEN_ACTIVITE not in page


def test_tableau_de_bord_propose_l_activite_a_une_structure_laureate(client):
    candidat = UtilisateurFactory(candidat=True)
    structure = StructureFactory(membres=[candidat])
    CandidatureFactory(structure=structure, retenue=True)
    client.force_login(candidat)

    page = client.get(reverse("tableau_de_bord")).content.decode()

    assert LIEN_ACTIVITE in page
    assert client.get(reverse("activite:structures")).status_code == 200
    assert client.get(reverse("activite:activite", args=[structure.pk])).status_code == 200


def test_activite_refusee_a_une_structure_non_laureate_avec_un_message_clair(client):
    candidat = UtilisateurFactory(candidat=True)
    structure = StructureFactory(membres=[candidat])
    CandidatureFactory(structure=structure, non_retenue=True)
    client.force_login(candidat)

    liste = client.get(reverse("activite:structures"))
    sa_page = client.get(reverse("activite:activite", args=[structure.pk]))

    assert liste.status_code == 403
    assert REFUS_ACTIVITE in liste.content.decode()
    assert sa_page.status_code == 403
    assert REFUS_ACTIVITE in sa_page.content.decode()


@pytest.mark.parametrize("role", ["gestionnaire", "membre_jury", "coach"])
def test_page_d_un_appel_ne_propose_pas_de_candidater_a_qui_ne_peut_pas(client, role):
    personne = UtilisateurFactory(**{role: True})
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire, personne])
    appel = AppelFactory(programme=programme, ouvert=True)
    client.force_login(personne)

    page = client.get(reverse("candidatures:appel", args=[appel.slug])).content.decode()

    assert reverse("candidatures:structure_nouvelle") not in page
    assert "Créer le profil de ma structure" not in page
    assert (
        "Votre compte ne peut pas candidater : seul le compte d'une structure candidate "
        "dépose une candidature. Pour candidater au nom d'une structure, créez son compte "
        "avec une autre adresse électronique."
    ) in page


def test_page_d_un_appel_propose_a_un_compte_candidat_de_creer_sa_structure(client):
    candidat = UtilisateurFactory(candidat=True)
    appel = AppelFactory(ouvert=True)
    client.force_login(candidat)

    page = client.get(reverse("candidatures:appel", args=[appel.slug])).content.decode()

    lien = f"{reverse('candidatures:structure_nouvelle')}?appel={appel.slug}"
    assert lien in page
    assert client.get(lien).status_code == 200
