"""Le journal d'un objet lu par l'API : ce que la page de l'objet montre au gestionnaire."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.fields import DateTimeField

from candidatures import services as services_candidatures
from journal.enums import TypeEvenement
from journal.models import Evenement
from journal.services import journaliser
from tests.accompagnement.factories import plan_pour
from tests.api.outils import client_api, jeton_pour
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def iso(moment):
    return DateTimeField().to_representation(moment)


def journal(type_, pk):
    return reverse("api:journal", kwargs={"type": type_, "pk": pk})


def client_de(utilisateur, programme):
    _jeton, clair = jeton_pour(utilisateur, programme)
    return client_api(clair)


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, first_name="Claire", last_name="Dupont")


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire])


def test_le_journal_d_une_candidature_du_plus_recent_au_plus_ancien(gestionnaire, programme):
    candidat = UtilisateurFactory(candidat=True, first_name="Paul", last_name="Martin")
    candidature = CandidatureFactory(
        appel__programme=programme,
        structure=StructureFactory(membres=[candidat]),
        deposee=True,
    )
    # Un dépôt repris d'un appel passé, sans compte connu : il vient de la structure.
    depot = Evenement.objects.create(
        type=TypeEvenement.CHANGEMENT_ETAT,
        cible=candidature,
        transition="deposer",
        depuis="brouillon",
        vers="deposee",
        survenu_le=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC),
    )
    piece = journaliser(TypeEvenement.PIECE_JOINTE_AJOUTEE, cible=candidature, acteur=candidat)
    services_candidatures.declarer_recevable(candidature, par=gestionnaire)
    recevable = Evenement.objects.de(candidature).get(transition="declarer_recevable")
    # Un événement d'un autre objet n'y est pas.
    journaliser(TypeEvenement.PIECE_JOINTE_AJOUTEE, cible=CandidatureFactory(), acteur=candidat)

    reponse = client_de(gestionnaire, programme).get(journal("candidature", candidature.pk))

    assert reponse.status_code == 200
    assert reponse.json()["results"] == [
        {
            "id": recevable.pk,
            "date": iso(recevable.survenu_le),
            "type": "changement_etat",
            "type_libelle": "Changement d'état",
            "libelle": "Recevable",
            "transition": "declarer_recevable",
            "depuis": "deposee",
            "vers": "recevable",
            "acteur": "Claire Dupont",
            "motif": "Recevable",
        },
        {
            "id": piece.pk,
            "date": iso(piece.survenu_le),
            "type": "piece_jointe_ajoutee",
            "type_libelle": "Pièce jointe ajoutée",
            "libelle": "Pièce jointe ajoutée",
            "transition": "",
            "depuis": "",
            "vers": "",
            "acteur": "Paul Martin",
            "motif": "",
        },
        {
            "id": depot.pk,
            "date": "2026-03-02T10:00:00+01:00",
            "type": "changement_etat",
            "type_libelle": "Changement d'état",
            "libelle": "Déposée",
            "transition": "deposer",
            "depuis": "brouillon",
            "vers": "deposee",
            "acteur": "La structure",
            "motif": "",
        },
    ]


def test_le_journal_d_un_appel_et_d_un_plan(gestionnaire, programme):
    candidature = CandidatureFactory(appel__programme=programme)
    appel = candidature.appel
    modification = journaliser(
        TypeEvenement.APPEL_MODIFIE, cible=appel, acteur=gestionnaire, donnees={"champs": ["x"]}
    )
    client = client_de(gestionnaire, programme)
    lignes = client.get(journal("appel", appel.pk)).json()["results"]
    assert [(ligne["id"], ligne["libelle"], ligne["acteur"]) for ligne in lignes] == [
        (modification.pk, "Appel modifié", "Claire Dupont")
    ]
    assert "donnees" not in lignes[0]

    plan = plan_pour(appel__programme=programme)
    lignes = client.get(journal("plan", plan.pk)).json()["results"]
    creation = Evenement.objects.de(plan).get(type=TypeEvenement.PLAN_ACCOMPAGNEMENT_CREE)
    assert (lignes[-1]["id"], lignes[-1]["type_libelle"], lignes[-1]["acteur"]) == (
        creation.pk,
        "Plan d'accompagnement créé",
        "Relais",
    )


def test_un_type_inconnu_repond_400_avec_les_types_acceptes(gestionnaire, programme):
    reponse = client_de(gestionnaire, programme).get(journal("jalon", 1))
    assert reponse.status_code == 400
    assert reponse.json() == {
        "type": ["Type d'objet inconnu. Types acceptés : appel, candidature, plan."]
    }


def test_un_objet_d_un_autre_programme_repond_404(gestionnaire, programme):
    # Le même gestionnaire gère B, mais son jeton vise A.
    autre = ProgrammeFactory(gestionnaires=[gestionnaire])
    candidature_b = CandidatureFactory(appel__programme=autre)
    client = client_de(gestionnaire, programme)
    assert client.get(journal("candidature", candidature_b.pk)).status_code == 404
    assert client.get(journal("appel", candidature_b.appel_id)).status_code == 404
    assert (
        client_de(gestionnaire, autre).get(journal("candidature", candidature_b.pk)).status_code
        == 200
    )


def test_la_structure_et_les_autres_roles_recoivent_403(programme):
    candidat = UtilisateurFactory(candidat=True)
    candidature = CandidatureFactory(
        appel__programme=programme, structure=StructureFactory(membres=[candidat])
    )
    for compte in (candidat, UtilisateurFactory(coach=True), UtilisateurFactory(observateur=True)):
        reponse = client_de(compte, programme).get(journal("candidature", candidature.pk))
        assert reponse.status_code == 403
    assert client_api().get(journal("candidature", candidature.pk)).status_code == 401


def test_pages_du_plus_recent_au_plus_ancien(gestionnaire, programme):
    candidature = CandidatureFactory(appel__programme=programme)
    evenements = [
        journaliser(TypeEvenement.PIECE_JOINTE_AJOUTEE, cible=candidature, acteur=gestionnaire)
        for _ in range(5)
    ]
    client = client_de(gestionnaire, programme)
    page = client.get(journal("candidature", candidature.pk), {"taille": 2}).json()
    lus = [ligne["id"] for ligne in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        lus += [ligne["id"] for ligne in page["results"]]
    assert lus == [evenement.pk for evenement in reversed(evenements)]


def test_un_identifiant_hors_des_bornes_repond_404(gestionnaire, programme):
    client = client_de(gestionnaire, programme)
    enorme = 10**20
    for adresse in (
        journal("candidature", enorme),
        reverse("api:appel-resultats", args=[enorme]),
        reverse("api:candidature-detail", args=[enorme]),
    ):
        reponse = client.get(adresse)
        assert (adresse, reponse.status_code, reponse["Content-Type"]) == (
            adresse,
            404,
            "application/json",
        )
