"""Les plans d'accompagnement et les sessions de formation dans l'API : au gestionnaire du
programme du jeton seulement, valeurs exactes, pagination par curseur, filtres, et un nombre de
requêtes qui ne dépend pas du nombre de lignes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompagnement import services as services_accompagnement
from accompagnement.enums import EtatJalon, EtatPlan, TypeJalon
from accompagnement.models import Emargement, Inscription, Jalon, PlanAccompagnement
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de, plan_pour
from tests.api.outils import client_api, jeton_pour
from tests.candidatures.factories import AppelFactory, ProgrammeFactory, StructureFactory
from tests.candidatures.fichiers import fichier
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

LISTE = reverse("api:plan-list")
SESSIONS = reverse("api:formation-list")
FUTUR = datetime.date(2031, 1, 6)  # un plan dont aucune échéance n'est encore passée


def detail(plan):
    return reverse("api:plan-detail", args=[plan.pk])


@pytest.fixture
def deux_programmes():
    """Un gestionnaire de deux programmes ; son jeton vise le premier, A. A : deux plans d'un
    appel et un plan d'un autre appel ; B : un plan."""
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    a = ProgrammeFactory(gestionnaires=[gestionnaire], nom="Programme A")
    b = ProgrammeFactory(gestionnaires=[gestionnaire], nom="Programme B")
    coach = UtilisateurFactory(coach=True, first_name="Inès", last_name="Durand")
    appel = AppelFactory(programme=a, clos=True, titre="Cohorte 2022", slug="cohorte-2022")
    alpha = StructureFactory(nom="CCAS d'Alpha")
    plans = [
        plan_pour(coach=coach, appel=appel, structure=alpha),
        plan_pour(appel=appel, date_debut=FUTUR),
        plan_pour(appel__programme=a, date_debut=datetime.date(2023, 9, 4)),
    ]
    PlanAccompagnement.objects.filter(pk=plans[2].pk).update(etat=EtatPlan.ACTIF)
    plan_b = plan_pour(appel__programme=b)
    _jeton, clair = jeton_pour(gestionnaire, a)
    return {
        "gestionnaire": gestionnaire,
        "a": a,
        "b": b,
        "appel": appel,
        "alpha": alpha,
        "coach": coach,
        "plans": plans,
        "plan_b": plan_b,
        "client": client_api(clair),
    }


def test_la_liste_montre_les_plans_du_programme_du_jeton_et_pas_ceux_de_l_autre(deux_programmes):
    m = deux_programmes
    reponse = m["client"].get(LISTE)

    assert reponse.status_code == 200
    lignes = reponse.json()["results"]
    assert [ligne["id"] for ligne in lignes] == [p.pk for p in m["plans"]]
    premier = m["plans"][0]
    assert lignes[0] == {
        "id": premier.pk,
        "appel": {"id": m["appel"].pk, "slug": "cohorte-2022", "titre": "Cohorte 2022"},
        "structure": {"id": m["alpha"].pk, "nom": "CCAS d'Alpha", "siret": m["alpha"].siret},
        "etat": "cadrage",
        "date_debut": "2022-10-03",
        "cree_le": timezone.localtime(premier.cree_le).isoformat(),
        "coach": "Inès Durand",
        "jalons_total": 10,
        "jalons_faits": 0,
        "jalons_en_retard": 10,
        "url_api": f"http://testserver/api/v1/plans/{premier.pk}/",
    }
    # Le plan qui démarre en 2031 n'a aucun jalon en retard, et pas encore de coach.
    assert (lignes[1]["coach"], lignes[1]["jalons_en_retard"]) == (None, 0)


def test_un_plan_d_un_autre_programme_que_celui_du_jeton_est_introuvable(deux_programmes):
    m = deux_programmes
    reponse = m["client"].get(detail(m["plan_b"]))

    assert reponse.status_code == 404
    assert reponse.json() == {
        "detail": "Aucun plan du programme du jeton ne porte cet identifiant."
    }


def test_le_detail_d_un_plan_donne_ses_jalons_sans_le_contenu_des_preuves(deux_programmes):
    m = deux_programmes
    plan = m["plans"][0]
    jalons = list(plan.jalons.order_by("echeance", "ordre", "pk"))
    lancement = jalons[0]
    services_accompagnement.ajouter_preuve(
        lancement,
        par=m["coach"],
        note="Compte rendu confidentiel",
        fichiers=[fichier("compte-rendu.pdf"), fichier("liste.pdf")],
    )
    Jalon.objects.filter(pk=lancement.pk).update(
        etat=EtatJalon.FAIT, fait_le=datetime.datetime(2022, 10, 3, 16, 0, tzinfo=datetime.UTC)
    )

    reponse = m["client"].get(detail(plan))

    assert reponse.status_code == 200
    donnees = reponse.json()
    assert (donnees["jalons_total"], donnees["jalons_faits"], donnees["jalons_en_retard"]) == (
        10,
        1,
        9,
    )
    assert donnees["jalons"][0] == {
        "id": lancement.pk,
        "modele": lancement.modele_id,
        "ordre": lancement.ordre,
        "type": "lancement",
        "libelle": "Réunion de lancement",
        "debut": "2022-10-03",
        "echeance": "2022-10-03",
        "etat": "fait",
        "avancement": "fait",
        "fait_le": "2022-10-03T18:00:00+02:00",
        "nombre_preuves": 2,
    }
    assert donnees["jalons"][1]["type"] == "diagnostic"
    assert (donnees["jalons"][1]["avancement"], donnees["jalons"][1]["nombre_preuves"]) == (
        "en_retard",
        0,
    )
    assert [j["id"] for j in donnees["jalons"]] == [j.pk for j in jalons]
    contenu = reponse.content.decode()
    assert "Compte rendu confidentiel" not in contenu
    assert "compte-rendu.pdf" not in contenu


def test_la_pagination_par_curseur_parcourt_chaque_plan_une_fois(deux_programmes):
    m = deux_programmes
    premiere = m["client"].get(LISTE, {"taille": 2}).json()

    assert [ligne["id"] for ligne in premiere["results"]] == [p.pk for p in m["plans"][:2]]
    assert premiere["previous"] is None
    # Une ligne ajoutée pendant la lecture ne décale pas la page suivante.
    nouveau = plan_pour(appel=m["appel"])
    seconde = m["client"].get(premiere["next"]).json()
    assert [ligne["id"] for ligne in seconde["results"]] == [m["plans"][2].pk, nouveau.pk]
    assert seconde["next"] is None
    assert seconde["previous"] is not None


def test_un_curseur_invalide_est_refuse_en_francais(deux_programmes):
    reponse = deux_programmes["client"].get(LISTE, {"curseur": "nimporte"})

    assert reponse.status_code == 404
    assert reponse.json() == {"detail": "Curseur invalide."}


@pytest.mark.parametrize(
    "filtre, rangs",
    [
        ({"etat": "actif"}, [2]),
        ({"etat": "cadrage"}, [0, 1]),
        ({"demarre_apres": "2023-01-01"}, [1, 2]),
        ({"demarre_avant": "2023-01-01"}, [0]),
        ({"demarre_apres": "2023-01-01", "demarre_avant": "2030-01-01"}, [2]),
    ],
)
def test_les_filtres_de_la_liste_des_plans(deux_programmes, filtre, rangs):
    m = deux_programmes
    reponse = m["client"].get(LISTE, filtre)

    assert reponse.status_code == 200
    assert [ligne["id"] for ligne in reponse.json()["results"]] == [
        m["plans"][rang].pk for rang in rangs
    ]


def test_le_filtre_par_appel_et_par_structure(deux_programmes):
    m = deux_programmes
    par_appel = m["client"].get(LISTE, {"appel": m["appel"].pk}).json()["results"]
    par_structure = m["client"].get(LISTE, {"structure": m["alpha"].pk}).json()["results"]
    # L'appel du programme B : filtrer n'élargit jamais le périmètre du jeton.
    appel_b = m["plan_b"].candidature.appel_id

    assert [ligne["id"] for ligne in par_appel] == [p.pk for p in m["plans"][:2]]
    assert [ligne["id"] for ligne in par_structure] == [m["plans"][0].pk]
    assert m["client"].get(LISTE, {"appel": appel_b}).json()["results"] == []


def test_un_filtre_mal_forme_est_refuse(deux_programmes):
    reponse = deux_programmes["client"].get(LISTE, {"etat": "termine", "demarre_apres": "hier"})

    assert reponse.status_code == 400
    assert sorted(reponse.json()) == ["demarre_apres", "etat"]


def _requetes(client, adresse):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(adresse).status_code == 200
    return len(requetes)


def test_le_nombre_de_requetes_ne_depend_pas_du_nombre_de_plans(deux_programmes):
    m = deux_programmes
    m["client"].get(LISTE)  # la date du dernier usage du jeton est écrite une fois
    avec_trois = _requetes(m["client"], LISTE)
    for _rang in range(4):
        plan_pour(appel=m["appel"])

    assert _requetes(m["client"], LISTE) == avec_trois == 3


def test_le_nombre_de_requetes_du_detail_ne_depend_pas_des_preuves(deux_programmes):
    m = deux_programmes
    plan = m["plans"][0]
    m["client"].get(detail(plan))
    sans_preuve = _requetes(m["client"], detail(plan))
    for jalon in plan.jalons.all()[:3]:
        services_accompagnement.ajouter_preuve(
            jalon, par=m["coach"], note="", fichiers=[fichier("preuve.pdf")]
        )

    assert _requetes(m["client"], detail(plan)) == sans_preuve == 4


@pytest.mark.parametrize("role", ["observateur", "coach", "candidat", "membre_jury"])
def test_un_autre_jeton_que_celui_d_un_gestionnaire_ne_lit_rien(deux_programmes, role):
    """Ni liste (403) ni objet (404) : un observateur, une coach (même celle du plan), une
    candidate de la structure ne lisent aucune donnée nominative de l'accompagnement."""
    m = deux_programmes
    personne = m["coach"] if role == "coach" else UtilisateurFactory(**{role: True})
    if role == "candidat":
        m["alpha"].membres.add(personne)
    _jeton, clair = jeton_pour(personne, m["a"])
    client = client_api(clair)

    for adresse in (LISTE, SESSIONS):
        reponse = client.get(adresse)
        assert reponse.status_code == 403
        assert reponse.json() == {
            "detail": "Seul un gestionnaire du programme du jeton lit ces données."
        }
    assert client.get(detail(m["plans"][0])).status_code == 404


def test_sans_jeton_la_liste_demande_un_jeton(deux_programmes):
    reponse = client_api().get(LISTE)

    assert reponse.status_code == 401
    assert reponse["WWW-Authenticate"] == 'Bearer realm="api"'


def test_un_gestionnaire_retire_du_programme_ne_lit_plus_rien(deux_programmes):
    m = deux_programmes
    m["a"].gestionnaires.remove(m["gestionnaire"])

    assert m["client"].get(LISTE).status_code == 403
    assert m["client"].get(detail(m["plans"][0])).status_code == 404


# --- Les sessions de formation --------------------------------------------------------------


@pytest.fixture
def sessions(deux_programmes):
    m = deux_programmes
    plan = m["plans"][0]
    formation = formation_de(plan, TypeJalon.FORMATION_1)
    premiere = SessionFactory(
        formation=formation,
        plans=[plan, m["plans"][1]],
        date=datetime.date(2022, 12, 6),
        lieu="Maison des associations, Lille",
        capacite=12,
    )
    seconde = SessionFactory(
        formation=formation_de(plan, TypeJalon.FORMATION_2),
        plans=[plan],
        date=datetime.date(2023, 2, 7),
        lieu="Médiathèque, Roubaix",
        capacite=8,
    )
    referents = [
        ReferentFactory(structure=m["alpha"], prenom="Camille", nom="Martin"),
        ReferentFactory(structure=m["alpha"], prenom="Lou", nom="Petit"),
        ReferentFactory(structure=m["alpha"], prenom="Sacha", nom="Roux"),
    ]
    for referent in referents:
        Inscription.objects.create(session=premiere, referent=referent)
    Emargement.objects.create(session=premiere, referent=referents[0], present=True)
    Emargement.objects.create(session=premiere, referent=referents[1], present=True)
    Emargement.objects.create(session=premiere, referent=referents[2], present=False)
    # Une session du programme B, à ne jamais voir.
    session_b = SessionFactory(
        formation=formation_de(m["plan_b"], TypeJalon.FORMATION_1), plans=[m["plan_b"]]
    )
    return {**m, "premiere": premiere, "seconde": seconde, "session_b": session_b}


def test_les_sessions_du_programme_avec_leurs_comptes_sans_noms(sessions):
    m = sessions
    reponse = m["client"].get(SESSIONS)

    assert reponse.status_code == 200
    lignes = reponse.json()["results"]
    formation = m["premiere"].formation
    assert lignes == [
        {
            "id": m["premiere"].pk,
            "formation": {
                "id": formation.pk,
                "titre": formation.titre,
                "type_jalon": "formation_1",
                "duree_jours": 1,
            },
            "date": "2022-12-06",
            "heure_debut": "09:00",
            "heure_fin": "17:00",
            "lieu": "Maison des associations, Lille",
            "capacite": 12,
            "structures_invitees": 2,
            "inscrits": 3,
            "presents": 2,
            "url_api": f"http://testserver/api/v1/formations/{m['premiere'].pk}/",
        },
        {
            "id": m["seconde"].pk,
            "formation": {
                "id": m["seconde"].formation.pk,
                "titre": m["seconde"].formation.titre,
                "type_jalon": "formation_2",
                "duree_jours": 1,
            },
            "date": "2023-02-07",
            "heure_debut": "09:00",
            "heure_fin": "17:00",
            "lieu": "Médiathèque, Roubaix",
            "capacite": 8,
            "structures_invitees": 1,
            "inscrits": 0,
            "presents": 0,
            "url_api": f"http://testserver/api/v1/formations/{m['seconde'].pk}/",
        },
    ]
    contenu = reponse.content.decode()
    for nom in ("Camille", "Martin", "Petit", "Roux", m["premiere"].formateur.last_name):
        assert nom not in contenu


def test_une_session_d_un_autre_programme_est_introuvable(sessions):
    m = sessions
    adresse = reverse("api:formation-detail", args=[m["session_b"].pk])

    assert m["client"].get(adresse).status_code == 404
    detail_a = m["client"].get(reverse("api:formation-detail", args=[m["premiere"].pk]))
    assert (detail_a.status_code, detail_a.json()["presents"]) == (200, 2)


@pytest.mark.parametrize(
    "filtre, attendues",
    [
        ({"date_apres": "2023-01-01"}, ["seconde"]),
        ({"date_avant": "2023-01-01"}, ["premiere"]),
        ({"date_apres": "2022-12-06", "date_avant": "2023-02-07"}, ["premiere"]),
        ({"type_jalon": "formation_2"}, ["seconde"]),
        ({"date_apres": "2024-01-01"}, []),
    ],
)
def test_les_filtres_des_sessions(sessions, filtre, attendues):
    m = sessions
    reponse = m["client"].get(SESSIONS, filtre)

    assert reponse.status_code == 200
    assert [ligne["id"] for ligne in reponse.json()["results"]] == [m[nom].pk for nom in attendues]


def test_le_nombre_de_requetes_des_sessions_ne_depend_pas_du_nombre_de_sessions(sessions):
    m = sessions
    m["client"].get(SESSIONS)
    avec_deux = _requetes(m["client"], SESSIONS)
    formation = m["premiere"].formation
    for jour in (1, 2, 3):
        session = SessionFactory(
            formation=formation, plans=[m["plans"][0]], date=datetime.date(2024, 3, jour)
        )
        Inscription.objects.create(session=session, referent=ReferentFactory(structure=m["alpha"]))

    assert _requetes(m["client"], SESSIONS) == avec_deux == 3
