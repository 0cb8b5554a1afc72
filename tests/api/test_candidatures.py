"""Les candidatures lues par l'API : valeurs exactes, périmètre du jeton, filtres, pages et
nombre de requêtes."""

import datetime
import hashlib
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.fields import DateTimeField

from annotations import services as annotations
from candidatures.models import Candidature, PieceJointe
from candidatures.services.versions import figer_version
from evaluation.enums import SensDecision
from evaluation.models import Decision, Deliberation
from programmes.enums import TypeQuestion
from tests.api.outils import client_api, jeton_pour
from tests.candidatures.factories import (
    ELIGIBILITE_HOUPLINES,
    AppelFactory,
    CandidatureFactory,
    PieceDemandeeFactory,
    ProgrammeFactory,
    QuestionFactory,
    StructureFactory,
)
from tests.candidatures.fichiers import PDF
from tests.evaluation.factories import JuryFactory, membre_note
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

LISTE = reverse("api:candidature-list")
UTC = datetime.UTC


def detail(candidature):
    return reverse("api:candidature-detail", args=[candidature.pk])


def iso(moment):
    """Une date telle que l'API l'écrit (heure de Paris, ISO 8601)."""
    return DateTimeField().to_representation(moment)


def piece(candidature, nom, *, piece_demandee=None, question=None, quand):
    return PieceJointe.objects.create(
        candidature=candidature,
        piece_demandee=piece_demandee,
        question=question,
        fichier=ContentFile(PDF, name=nom),
        nom_original=nom,
        type_mime="application/pdf",
        taille=len(PDF),
        ajoutee_le=quand,
    )


@pytest.fixture
def monde():
    m = SimpleNamespace()
    m.gestionnaire = UtilisateurFactory(gestionnaire=True, first_name="Claire", last_name="Dupont")
    m.candidat = UtilisateurFactory(candidat=True)
    m.programme = ProgrammeFactory(gestionnaires=[m.gestionnaire])
    # Le même gestionnaire gère un second programme, que son jeton du premier ne lit pas.
    m.programme_b = ProgrammeFactory(gestionnaires=[m.gestionnaire])
    m.appel = AppelFactory(programme=m.programme, ouvert=True, titre="Numérique 2026", slug="num")
    m.q_publics = QuestionFactory(
        appel=m.appel, ordre=1, type=TypeQuestion.TEXTE_LONG, libelle="Quels publics ?"
    )
    m.q_salle = QuestionFactory(
        appel=m.appel, ordre=2, type=TypeQuestion.OUI_NON, libelle="Avez-vous une salle ?"
    )
    m.q_cachee = QuestionFactory(
        appel=m.appel,
        ordre=3,
        type=TypeQuestion.TEXTE_COURT,
        libelle="Décrivez la salle",
        condition=m.q_salle,
        condition_valeur="oui",
    )
    m.q_nombre = QuestionFactory(
        appel=m.appel, ordre=4, type=TypeQuestion.NOMBRE, libelle="Combien de personnes ?"
    )
    m.q_budget = QuestionFactory(
        appel=m.appel, ordre=5, type=TypeQuestion.FICHIER, libelle="Budget prévisionnel"
    )
    m.statuts = PieceDemandeeFactory(appel=m.appel, ordre=1, libelle="Statuts")
    m.structure = StructureFactory(nom="CCAS de Houplines", membres=[m.candidat])
    m.candidature = CandidatureFactory(
        appel=m.appel,
        structure=m.structure,
        deposee=True,
        creee_le=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        premier_depot_le=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        deposee_le=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        reponses={
            str(m.q_publics.pk): "Des personnes âgées",
            str(m.q_salle.pk): "non",
            # Une réponse restée dans une question que la condition masque : jamais lue.
            str(m.q_cachee.pk): "Salle de 30 m²",
            str(m.q_nombre.pk): "120",
        },
    )
    m.piece_statuts = piece(
        m.candidature,
        "statuts.pdf",
        piece_demandee=m.statuts,
        quand=datetime.datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
    )
    m.piece_budget = piece(
        m.candidature,
        "budget.pdf",
        question=m.q_budget,
        quand=datetime.datetime(2026, 3, 1, 11, 0, tzinfo=UTC),
    )
    m.candidature.refresh_from_db()
    # Une autre structure du même appel, en brouillon ; une candidature du programme B.
    m.brouillon = CandidatureFactory(appel=m.appel)
    m.candidature_b = CandidatureFactory(
        appel__programme=m.programme_b, structure=m.structure, deposee=True
    )
    return m


def client_de(utilisateur, programme):
    _jeton, clair = jeton_pour(utilisateur, programme)
    return client_api(clair)


def ids(reponse):
    return [ligne["id"] for ligne in reponse.json()["results"]]


# --- Valeurs exactes ----------------------------------------------------------------------------


def attendu(m, *, evaluation):
    c = m.candidature
    return {
        "id": c.pk,
        "reference": f"REL-{c.pk:06d}",
        "appel": {"id": m.appel.pk, "titre": "Numérique 2026", "slug": "num"},
        "structure": {
            "id": m.structure.pk,
            "nom": "CCAS de Houplines",
            "siret": m.structure.siret,
            "type": "ccas",
            "commune": {"code_insee": "59317", "nom": "Houplines"},
        },
        "etat": "deposee",
        "creee_le": "2026-03-01T10:00:00+01:00",
        "premier_depot_le": "2026-03-02T10:00:00+01:00",
        "deposee_le": "2026-03-02T10:00:00+01:00",
        "recevabilite_decidee_le": None,
        "decidee_le": None,
        "retiree_le": None,
        "modifiee_le": iso(c.modifiee_le),
        "resultat_eligibilite": "eligible",
        "demande_complement": "",
        "motif_irrecevabilite": "",
        "motif_retrait": "",
        "evaluation": evaluation,
        "decision": None,
    }


def test_le_detail_pour_le_gestionnaire_donne_les_reponses_affichees_et_les_pieces(monde):
    m = monde
    reponse = client_de(m.gestionnaire, m.programme).get(detail(m.candidature))
    assert reponse.status_code == 200
    telecharger = "http://testserver" + reverse(
        "candidatures:piece_jointe", args=[m.candidature.pk, m.piece_statuts.pk]
    )
    telecharger_budget = "http://testserver" + reverse(
        "candidatures:piece_jointe", args=[m.candidature.pk, m.piece_budget.pk]
    )
    assert reponse.json() == {
        **attendu(m, evaluation={"nombre_notes": 0, "moyenne": None, "mediane": None}),
        "eligibilite": ELIGIBILITE_HOUPLINES,
        "reponses": [
            {
                "question_id": m.q_publics.pk,
                "numero": 1,
                "libelle": "Quels publics ?",
                "type": "texte_long",
                "valeur": "Des personnes âgées",
                "piece": None,
            },
            {
                "question_id": m.q_salle.pk,
                "numero": 2,
                "libelle": "Avez-vous une salle ?",
                "type": "oui_non",
                "valeur": "non",
                "piece": None,
            },
            # La question 3, masquée par sa condition, n'y est pas ; les suivantes gardent
            # leur numéro du formulaire.
            {
                "question_id": m.q_nombre.pk,
                "numero": 4,
                "libelle": "Combien de personnes ?",
                "type": "nombre",
                "valeur": "120",
                "piece": None,
            },
            {
                "question_id": m.q_budget.pk,
                "numero": 5,
                "libelle": "Budget prévisionnel",
                "type": "fichier",
                "valeur": None,
                "piece": m.piece_budget.pk,
            },
        ],
        "pieces": [
            {
                "id": m.piece_statuts.pk,
                "piece_demandee": "Statuts",
                "question_id": None,
                "nom": "statuts.pdf",
                "taille": len(PDF),
                "type_mime": "application/pdf",
                "ajoutee_le": "2026-03-01T11:00:00+01:00",
                "sha256": None,
                "telechargement": telecharger,
            },
            {
                "id": m.piece_budget.pk,
                "piece_demandee": None,
                "question_id": m.q_budget.pk,
                "nom": "budget.pdf",
                "taille": len(PDF),
                "type_mime": "application/pdf",
                "ajoutee_le": "2026-03-01T12:00:00+01:00",
                "sha256": None,
                "telechargement": telecharger_budget,
            },
        ],
    }
    assert "Salle de 30 m²" not in reponse.content.decode()


def test_la_liste_est_legere_et_la_structure_lit_sans_les_agregats_du_jury(monde):
    m = monde
    reponse = client_de(m.candidat, m.programme).get(LISTE)
    assert reponse.status_code == 200
    assert reponse.json()["results"] == [attendu(m, evaluation=None)]


def test_un_fichier_d_une_question_masquee_n_est_pas_lu(monde):
    m = monde
    m.q_budget.condition = m.q_salle
    m.q_budget.condition_valeur = "oui"
    m.q_budget.save()
    donnees = client_de(m.gestionnaire, m.programme).get(detail(m.candidature)).json()
    assert [r["question_id"] for r in donnees["reponses"]] == [
        m.q_publics.pk,
        m.q_salle.pk,
        m.q_nombre.pk,
    ]
    assert [p["id"] for p in donnees["pieces"]] == [m.piece_statuts.pk]


def test_l_empreinte_d_un_fichier_fige_par_un_depot(monde):
    m = monde
    figer_version(m.candidature, par=m.candidat, quand=m.candidature.deposee_le)
    m.piece_budget.delete()
    remplace = piece(m.candidature, "budget-v2.pdf", question=m.q_budget, quand=timezone.now())
    pieces = client_de(m.gestionnaire, m.programme).get(detail(m.candidature)).json()["pieces"]
    assert [(p["id"], p["sha256"]) for p in pieces] == [
        (m.piece_statuts.pk, hashlib.sha256(PDF).hexdigest()),
        (remplace.pk, None),
    ]


def test_ni_etiquettes_ni_notes_privees(monde):
    m = monde
    etiquette = annotations.creer_etiquette(m.programme, par=m.gestionnaire, nom="À rappeler")
    annotations.ajouter_etiquette(etiquette, [m.candidature], par=m.gestionnaire)
    annotations.ecrire_note(m.candidature, par=m.gestionnaire, texte="Budget fragile")
    texte = client_de(m.gestionnaire, m.programme).get(detail(m.candidature)).content.decode()
    assert "À rappeler" not in texte
    assert "Budget fragile" not in texte


# --- Périmètre du jeton -------------------------------------------------------------------------


def test_un_jeton_du_programme_a_ne_lit_rien_du_programme_b(monde):
    m = monde
    client = client_de(m.gestionnaire, m.programme)
    assert ids(client.get(LISTE)) == sorted([m.candidature.pk, m.brouillon.pk])
    assert client.get(detail(m.candidature_b)).status_code == 404
    # Le même gestionnaire, avec un jeton du programme B, ne lit que B.
    client_b = client_de(m.gestionnaire, m.programme_b)
    assert ids(client_b.get(LISTE)) == [m.candidature_b.pk]
    assert client_b.get(detail(m.candidature)).status_code == 404


def test_un_gestionnaire_retire_du_programme_ne_lit_plus_rien(monde):
    m = monde
    client = client_de(m.gestionnaire, m.programme)
    assert client.get(detail(m.candidature)).status_code == 200
    m.programme.gestionnaires.remove(m.gestionnaire)
    reponse = client.get(LISTE)
    assert reponse.status_code == 403
    assert reponse.json() == {
        "detail": "Ce jeton ne lit aucune candidature : il faut celui d'un gestionnaire du "
        "programme ou d'une structure candidate."
    }
    assert client.get(detail(m.candidature)).status_code == 404


def test_la_structure_ne_lit_que_ses_candidatures_brouillons_compris(monde):
    m = monde
    propre_brouillon = CandidatureFactory(
        appel=AppelFactory(programme=m.programme, ouvert=True), structure=m.structure
    )
    client = client_de(m.candidat, m.programme)
    assert ids(client.get(LISTE)) == [m.candidature.pk, propre_brouillon.pk]
    assert client.get(detail(propre_brouillon)).status_code == 200
    # Ni la candidature d'une autre structure, ni la sienne à un autre programme.
    assert client.get(detail(m.brouillon)).status_code == 404
    assert client.get(detail(m.candidature_b)).status_code == 404


def test_le_gestionnaire_lit_aussi_les_brouillons_comme_a_l_ecran(monde):
    m = monde
    donnees = client_de(m.gestionnaire, m.programme).get(detail(m.brouillon)).json()
    assert donnees["etat"] == "brouillon"
    assert donnees["deposee_le"] is None
    assert donnees["eligibilite"] == {}


@pytest.mark.parametrize("role", ["observateur", "coach", "membre_jury"])
def test_les_autres_roles_recoivent_403_sur_la_liste_et_404_sur_le_detail(monde, role):
    m = monde
    client = client_de(UtilisateurFactory(**{role: True}), m.programme)
    assert client.get(LISTE).status_code == 403
    assert client.get(detail(m.candidature)).status_code == 404


def test_sans_jeton_401(monde):
    assert client_api().get(LISTE).status_code == 401
    assert client_api().get(detail(monde.candidature)).status_code == 401


# --- Filtres ------------------------------------------------------------------------------------


@pytest.fixture
def cinq_depots(monde):
    """Cinq candidatures de l'appel, déposées les 1er, 2, 3, 4 et 5 avril 2026 à midi (UTC)."""
    return [
        CandidatureFactory(
            appel=monde.appel,
            deposee=True,
            deposee_le=datetime.datetime(2026, 4, jour, 12, 0, tzinfo=UTC),
        )
        for jour in range(1, 6)
    ]


def test_filtres_etat_et_dates_de_depot(monde, cinq_depots):
    m = monde
    client = client_de(m.gestionnaire, m.programme)
    assert ids(client.get(LISTE, {"etat": "brouillon"})) == [m.brouillon.pk]
    assert len(ids(client.get(LISTE, {"etat": "deposee"}))) == 6
    assert ids(client.get(LISTE, {"depose_apres": "2026-04-03"})) == [c.pk for c in cinq_depots[2:]]
    assert ids(client.get(LISTE, {"depose_apres": "2026-04-02", "depose_avant": "2026-04-04"})) == [
        cinq_depots[1].pk,
        cinq_depots[2].pk,
    ]
    assert ids(client.get(LISTE, {"depose_avant": "2026-04-01T14:00:00+02:00"})) == [
        m.candidature.pk
    ]
    autre_appel = CandidatureFactory(appel__programme=m.programme, deposee=True)
    assert ids(client.get(LISTE, {"appel": autre_appel.appel_id})) == [autre_appel.pk]
    demain = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert ids(client.get(LISTE, {"modifie_apres": demain})) == []
    Candidature.objects.filter(pk=cinq_depots[0].pk).update(
        modifiee_le=timezone.now() + datetime.timedelta(days=2)
    )
    assert ids(client.get(LISTE, {"modifie_apres": demain})) == [cinq_depots[0].pk]


def test_un_filtre_invalide_repond_400_en_francais(monde):
    client = client_de(monde.gestionnaire, monde.programme)
    reponse = client.get(LISTE, {"etat": "perdue"})
    assert reponse.status_code == 400
    assert list(reponse.json()) == ["etat"]
    reponse = client.get(LISTE, {"depose_apres": "31/03/2026"})
    assert reponse.status_code == 400
    assert list(reponse.json()) == ["depose_apres"]


# --- Pages et requêtes --------------------------------------------------------------------------


def test_pagination_par_curseur_sans_doublon(monde, cinq_depots):
    m = monde
    client = client_de(m.gestionnaire, m.programme)
    attendus = [c.pk for c in cinq_depots]
    page = client.get(LISTE, {"appel": m.appel.pk, "etat": "deposee", "taille": 2}).json()
    lus = [ligne["id"] for ligne in page["results"]]
    assert page["previous"] is None
    pages = [page]
    while page["next"]:
        assert page["next"].startswith("http://testserver/api/v1/candidatures/?")
        page = client.get(page["next"]).json()
        pages.append(page)
        lus += [ligne["id"] for ligne in page["results"]]
    assert [len(p["results"]) for p in pages] == [2, 2, 2]
    assert lus == sorted([m.candidature.pk, *attendus])
    precedente = client.get(pages[-1]["previous"]).json()
    assert [ligne["id"] for ligne in precedente["results"]] == lus[2:4]


def _requetes(client, adresse):
    # Une première lecture note le dernier usage du jeton (une écriture par quart d'heure).
    client.get(adresse)
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(adresse).status_code == 200
    return len(requetes.captured_queries)


@pytest.mark.parametrize("qui", ["gestionnaire", "candidat"])
def test_le_nombre_de_requetes_de_la_liste_ne_depend_pas_du_nombre_de_lignes(monde, qui):
    m = monde
    client = client_de(getattr(m, qui), m.programme)
    une = _requetes(client, LISTE)
    for _ in range(4):
        CandidatureFactory(
            appel=AppelFactory(programme=m.programme, ouvert=True), structure=m.structure
        )
    assert len(ids(client.get(LISTE))) >= 5
    assert _requetes(client, LISTE) == une


def test_le_nombre_de_requetes_du_detail_ne_depend_pas_des_pieces(monde):
    m = monde
    client = client_de(m.gestionnaire, m.programme)
    avant = _requetes(client, detail(m.candidature))
    for numero in range(3):
        demandee = PieceDemandeeFactory(appel=m.appel, libelle=f"Annexe {numero}")
        piece(m.candidature, f"annexe-{numero}.pdf", piece_demandee=demandee, quand=timezone.now())
    assert len(client.get(detail(m.candidature)).json()["pieces"]) == 5
    assert _requetes(client, detail(m.candidature)) == avant


# --- Jury et décision ---------------------------------------------------------------------------


@pytest.fixture
def examinee(monde):
    """Une candidature de la structure, notée 20, 15 et 5 sur 20 par trois membres (plus un
    brouillon qui ne compte pas)."""
    jury = JuryFactory(appel__programme=monde.programme)
    candidature = CandidatureFactory(appel=jury.appel, structure=monde.structure, recevable=True)
    membre_note(jury, candidature, [5, 10])
    membre_note(jury, candidature, [5, 0])
    membre_note(jury, candidature, [0, 10])
    membre_note(jury, candidature, [1, 1], valider=False)
    return candidature


def test_les_agregats_du_jury_pour_le_gestionnaire_seul(monde, examinee):
    m = monde
    donnees = client_de(m.gestionnaire, m.programme).get(detail(examinee)).json()
    assert donnees["evaluation"] == {"nombre_notes": 3, "moyenne": 13.33, "mediane": 15.0}
    ligne = client_de(m.gestionnaire, m.programme).get(LISTE, {"appel": examinee.appel_id})
    assert ligne.json()["results"][0]["evaluation"] == donnees["evaluation"]
    assert client_de(m.candidat, m.programme).get(detail(examinee)).json()["evaluation"] is None


def test_la_decision_se_lit_par_la_structure_une_fois_publiee(monde, examinee):
    m = monde
    deliberation = Deliberation.objects.create(appel=examinee.appel)
    Decision.objects.create(
        deliberation=deliberation,
        candidature=examinee,
        sens=SensDecision.LISTE_ATTENTE,
        rang_liste_attente=2,
        motif="Budget à préciser",
    )
    gestionnaire = client_de(m.gestionnaire, m.programme)
    structure = client_de(m.candidat, m.programme)
    assert gestionnaire.get(detail(examinee)).json()["decision"] == {
        "sens": "liste_attente",
        "rang_liste_attente": 2,
        "motif": "Budget à préciser",
        "promue_le": None,
        "publiee_le": None,
        "lettre": None,
    }
    assert structure.get(detail(examinee)).json()["decision"] is None
    publication = datetime.datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    Deliberation.objects.filter(pk=deliberation.pk).update(publiee_le=publication)
    assert structure.get(detail(examinee)).json()["decision"] == {
        "sens": "liste_attente",
        "rang_liste_attente": 2,
        "motif": "Budget à préciser",
        "promue_le": None,
        "publiee_le": "2026-06-01T10:00:00+02:00",
        "lettre": None,
    }


def test_les_resultats_d_un_appel(monde, examinee):
    m = monde
    deliberation = Deliberation.objects.create(appel=examinee.appel)
    decision = Decision.objects.create(
        deliberation=deliberation, candidature=examinee, sens=SensDecision.RETENUE
    )
    adresse = reverse("api:appel-resultats", args=[examinee.appel_id])
    reponse = client_de(m.gestionnaire, m.programme).get(adresse)
    assert reponse.status_code == 200
    assert reponse.json()["results"] == [
        {
            "id": decision.pk,
            "candidature": examinee.pk,
            "reference": examinee.reference,
            "structure": "CCAS de Houplines",
            "sens": "retenue",
            "rang_liste_attente": None,
            "motif": "",
            "promue_le": None,
            "publiee_le": None,
        }
    ]
    assert client_de(m.gestionnaire, m.programme_b).get(adresse).status_code == 404
    refus = client_de(m.candidat, m.programme).get(adresse)
    assert refus.status_code == 403
    assert refus.json() == {
        "detail": "Ce point d'accès est réservé au jeton d'un gestionnaire du programme."
    }
