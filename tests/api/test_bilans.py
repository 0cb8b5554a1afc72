"""Le bilan de clôture dans l'API : l'observateur lit exactement les cellules masquées de la
page du bilan, le gestionnaire du programme les valeurs exactes ; aucun autre jeton ne lit un
bilan, aucun bilan ne porte une donnée nominative ; l'activité d'une lauréate pour le
gestionnaire de son programme.

La cohorte est celle de tests/activite/test_bilan_observateur.py : Armentières (136 personnes
en parcours, 6 référents formés, 80 en liste d'attente) et Houplines (6 personnes en ateliers,
2 référents formés)."""

import pytest
import schemathesis
from django.core import signals as signal
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone, translation
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from activite.bilan import bilan_a_jour
from activite.models import Beneficiaire, ListeAttente
from activite.presentation import COLONNES_TABLEAU, MARQUES, presenter, texte
from structures.models import Structure
from tests.activite.test_bilan_observateur import _chiffres, _page, _tableau, construire_cohorte
from tests.api.outils import client_api, jeton_pour
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

LISTE = reverse("api:bilan-list")
COLONNES = ["structures", *COLONNES_TABLEAU]


def adresse(appel):
    return reverse("api:bilan-detail", args=[appel.slug])


def client_de(appel, **role):
    personne = UtilisateurFactory(**role)
    if role.get("gestionnaire"):
        appel.programme.gestionnaires.add(personne)
    _jeton, clair = jeton_pour(personne, appel.programme)
    return client_api(clair)


@pytest.fixture
def cohorte():
    return construire_cohorte()


def _ligne(nom, *valeurs):
    return (nom, dict(zip(COLONNES_TABLEAU, valeurs, strict=True)))


COHORTE_OBSERVATEUR = dict(
    zip(
        COLONNES,
        (2, 8, 5, 2, 3, 12.0, 14.5, 142, 136, 59.9, 40.1, 63.0, "masqué", 80),
        strict=True,
    )
)
LIGNES_OBSERVATEUR = [
    _ligne(
        "CCAS d'Armentières",
        *("masqué", 3, 0, 3, 12.0, 14.5, 136, 136, "masqué", "masqué", 63.0, "masqué", 80),
    ),
    _ligne(
        "CCAS de Houplines",
        *("< 5", 2, 2, 0, None, None, 6, 0, "masqué", "masqué", 63.0, None, 0),
    ),
]


def _lignes(donnees):
    return [(ligne["nom"], ligne["valeurs"]) for ligne in donnees["structures"]]


def test_l_observateur_lit_le_bilan_masque_comme_sur_la_page(client, cohorte):
    reponse = client_de(cohorte, observateur=True).get(adresse(cohorte))

    assert reponse.status_code == 200
    donnees = reponse.json()
    assert donnees["appel"] == {"id": cohorte.pk, "slug": "appel-masque", "titre": "Appel 2022"}
    assert donnees["masque"] is True
    assert donnees["cohorte"] == COHORTE_OBSERVATEUR
    assert _lignes(donnees) == LIGNES_OBSERVATEUR
    bilan = bilan_a_jour(cohorte)
    assert donnees["calcule_le"] == timezone.localtime(bilan.calcule_le).isoformat()
    assert [ligne["siret"] for ligne in donnees["structures"]] == [
        ligne["siret"] for ligne in bilan.par_structure
    ]


def test_chaque_cellule_de_l_observateur_est_celle_de_sa_page(client, cohorte):
    """Cellule par cellule : la présentation masquée, puis la page elle-même ; une cellule que
    la page masque n'est jamais un nombre dans le JSON."""
    donnees = client_de(cohorte, observateur=True).get(adresse(cohorte)).json()
    vue = presenter(bilan_a_jour(cohorte), masquer=True)
    contenu, _client = _page(client, cohorte, observateur=True)

    assert {c: donnees["cohorte"][c] for c in COLONNES_TABLEAU} == vue["valeurs"]
    assert [(ligne["id"], ligne["valeurs"]) for ligne in donnees["structures"]] == [
        (ligne["pk"], ligne["valeurs"]) for ligne in vue["lignes"]
    ]
    masquees = 0
    for ligne_json, ligne_vue in zip(donnees["structures"], vue["lignes"], strict=True):
        for colonne in COLONNES_TABLEAU:
            if ligne_vue["valeurs"][colonne] in MARQUES:
                masquees += 1
                assert isinstance(ligne_json["valeurs"][colonne], str)
    assert masquees == 7
    with translation.override("fr"):
        assert _tableau(contenu) == [
            [ligne["nom"], *(texte(ligne["valeurs"][c]) for c in COLONNES_TABLEAU)]
            for ligne in donnees["structures"]
        ]
        chiffres = _chiffres(contenu)
        assert [chiffres[libelle] for libelle in list(chiffres)[: len(COLONNES)]] == [
            texte(donnees["cohorte"][c]) for c in COLONNES
        ]


def test_le_gestionnaire_du_programme_lit_les_valeurs_exactes(cohorte):
    donnees = client_de(cohorte, gestionnaire=True).get(adresse(cohorte)).json()
    vue = presenter(bilan_a_jour(cohorte), masquer=False)

    assert donnees["masque"] is False
    assert donnees["cohorte"] == {**COHORTE_OBSERVATEUR, "parcours_complets_pct": 74.6}
    assert _lignes(donnees) == [
        _ligne(
            "CCAS d'Armentières",
            *(6, 3, 0, 3, 12.0, 14.5, 136, 136, 60.3, 39.7, 63.0, 74.6, 80),
        ),
        _ligne("CCAS de Houplines", *(2, 2, 2, 0, None, None, 6, 0, 50.0, 50.0, 63.0, None, 0)),
    ]
    assert [ligne["valeurs"] for ligne in donnees["structures"]] == [
        ligne["valeurs"] for ligne in vue["lignes"]
    ]


def test_le_bilan_ne_porte_aucune_donnee_nominative(cohorte):
    """Des agrégats et des structures (personnes morales : nom et SIRET) ; ni code de
    bénéficiaire, ni nom de référent."""
    reponse = client_de(cohorte, observateur=True).get(adresse(cohorte))
    donnees = reponse.json()

    assert sorted(donnees) == [
        "appel",
        "calcule_le",
        "cohorte",
        "masque",
        "next",
        "previous",
        "structures",
    ]
    assert {tuple(sorted(ligne)) for ligne in donnees["structures"]} == {
        ("id", "nom", "siret", "valeurs")
    }
    contenu = reponse.content.decode()
    codes = list(Beneficiaire.objects.values_list("code", flat=True))
    assert len(codes) == 142
    assert not [code for code in codes if f'"{code}"' in contenu]
    assert "Réf" not in contenu and "@s.test" not in contenu


def test_l_observateur_lit_les_structures_par_pages_masquees_comme_le_tout(cohorte):
    """Une structure par page (« taille=1 ») : chaque page porte la cohorte entière et sa
    ligne masquée exactement comme dans le bilan d'un seul tenant (le masquage se décide sur
    toute la cohorte) ; « next » et « previous » enchaînent les pages."""
    client = client_de(cohorte, observateur=True)

    premiere = client.get(adresse(cohorte), {"taille": 1}).json()
    seconde = client.get(premiere["next"]).json()

    assert premiere["cohorte"] == seconde["cohorte"] == COHORTE_OBSERVATEUR
    assert _lignes(premiere) == LIGNES_OBSERVATEUR[:1]
    assert _lignes(seconde) == LIGNES_OBSERVATEUR[1:]
    assert premiere["previous"] is None and seconde["next"] is None
    assert client.get(seconde["previous"]).json() == premiere
    assert premiere["next"].startswith(f"http://testserver{adresse(cohorte)}?")
    # Sans paramètre : 50 par page, les deux lignes, pas de page voisine.
    entier = client.get(adresse(cohorte)).json()
    assert _lignes(entier) == LIGNES_OBSERVATEUR
    assert entier["next"] is None and entier["previous"] is None


def test_la_taille_d_une_page_du_bilan_est_bornee_et_un_curseur_invente_introuvable(cohorte):
    client = client_de(cohorte, observateur=True)

    assert _lignes(client.get(adresse(cohorte), {"taille": 100000}).json()) == (LIGNES_OBSERVATEUR)
    assert _lignes(client.get(adresse(cohorte), {"taille": "x"}).json()) == LIGNES_OBSERVATEUR
    for curseur in ("n'importe", "cj0tMQ==", "cj14"):  # illisible, r=-1, r=x
        reponse = client.get(adresse(cohorte), {"curseur": curseur})
        assert reponse.status_code == 404
        assert reponse.json() == {"detail": "Curseur invalide."}
    # Au-delà de la dernière ligne : aucune structure, la page d'avant reste atteignable.
    loin = client.get(adresse(cohorte), {"curseur": "cj01MA==", "taille": 1}).json()
    assert loin["structures"] == [] and loin["next"] is None
    assert _lignes(client.get(loin["previous"]).json()) == LIGNES_OBSERVATEUR[1:]


def test_une_page_du_bilan_de_l_api_suit_l_ecriture_suivante(cohorte):
    """La page mise en cache change avec le bilan : une liste d'attente de 12 personnes saisie
    à Houplines (0 → 12 ; la cohorte 80 → 92) se lit à la page suivante, chiffres exacts."""
    client = client_de(cohorte, gestionnaire=True)
    avant = client.get(adresse(cohorte), {"taille": 1, "curseur": "cj0x"}).json()
    assert _lignes(avant) == [
        _ligne("CCAS de Houplines", *(2, 2, 2, 0, None, None, 6, 0, 50.0, 50.0, 63.0, None, 0))
    ]
    assert avant["cohorte"]["liste_attente"] == 80
    houplines = Structure.objects.get(pk=avant["structures"][0]["id"])
    ListeAttente.objects.create(structure=houplines, date=timezone.localdate(), nombre=12)

    apres = client.get(adresse(cohorte), {"taille": 1, "curseur": "cj0x"}).json()

    assert _lignes(apres) == [
        _ligne("CCAS de Houplines", *(2, 2, 2, 0, None, None, 6, 0, 50.0, 50.0, 63.0, None, 12))
    ]
    assert apres["cohorte"]["liste_attente"] == 92


def test_la_liste_des_bilans_du_programme_du_jeton(cohorte):
    AppelFactory(programme=cohorte.programme, clos=True, slug="sans-laureate")
    CandidatureFactory(appel__programme=cohorte.programme, non_retenue=True)

    observateur = client_de(cohorte, observateur=True).get(LISTE)
    gestionnaire = client_de(cohorte, gestionnaire=True).get(LISTE)

    attendu = {
        "appel": {"id": cohorte.pk, "slug": "appel-masque", "titre": "Appel 2022"},
        "laureates": 2,
        "masque": True,
        "url_api": "http://testserver/api/v1/bilans/appel-masque/",
    }
    assert observateur.status_code == 200
    assert observateur.json()["results"] == [attendu]
    assert gestionnaire.json()["results"] == [{**attendu, "masque": False}]


def test_les_filtres_de_la_liste_des_bilans(cohorte):
    client = client_de(cohorte, gestionnaire=True)

    assert len(client.get(LISTE, {"etat": "clos"}).json()["results"]) == 1
    assert client.get(LISTE, {"etat": "ouvert"}).json()["results"] == []
    assert client.get(LISTE, {"etat": "perdu"}).status_code == 400


def test_un_appel_sans_laureate_n_a_pas_de_bilan(cohorte):
    appel = AppelFactory(programme=cohorte.programme, clos=True)
    CandidatureFactory(appel=appel, non_retenue=True)

    reponse = client_de(cohorte, gestionnaire=True).get(adresse(appel))

    assert reponse.status_code == 404
    assert reponse.json() == {
        "detail": "Aucun appel du programme du jeton n'a de bilan à cette adresse."
    }


def test_un_jeton_d_un_autre_programme_ne_lit_pas_ce_bilan(cohorte):
    """Le gestionnaire des deux programmes avec un jeton du second, et un observateur avec un
    jeton du second : le bilan du premier est introuvable et absent de la liste."""
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    cohorte.programme.gestionnaires.add(gestionnaire)
    autre = ProgrammeFactory(gestionnaires=[gestionnaire])
    appel_autre = AppelFactory(programme=autre, clos=True, slug="appel-autre")
    CandidatureFactory(appel=appel_autre, structure=StructureFactory(), retenue=True)
    observateur = UtilisateurFactory(observateur=True)

    for personne in (gestionnaire, observateur):
        _jeton, clair = jeton_pour(personne, autre)
        client = client_api(clair)
        assert client.get(adresse(cohorte)).status_code == 404
        assert [b["appel"]["slug"] for b in client.get(LISTE).json()["results"]] == ["appel-autre"]


@pytest.mark.parametrize("role", ["candidat", "coach", "membre_jury"])
def test_un_autre_jeton_ne_lit_aucun_bilan(cohorte, role):
    client = client_de(cohorte, **{role: True})

    reponse = client.get(LISTE)
    assert reponse.status_code == 403
    assert reponse.json() == {
        "detail": "Seuls un gestionnaire ou un observateur du programme du jeton lisent les bilans."
    }
    assert client.get(adresse(cohorte)).status_code == 404


def test_sans_jeton_le_bilan_demande_un_jeton(cohorte):
    assert client_api().get(adresse(cohorte)).status_code == 401


# --- L'activité d'une structure lauréate -----------------------------------------------------


def _activite(structure):
    return reverse("api:structure-activite", args=[structure.pk])


def test_l_activite_d_une_laureate_pour_le_gestionnaire_de_son_programme(cohorte):
    client = client_de(cohorte, gestionnaire=True)
    bilan = client.get(adresse(cohorte)).json()
    armentieres, houplines = bilan["structures"]

    reponse = client.get(reverse("api:structure-activite", args=[armentieres["id"]]))

    assert reponse.status_code == 200
    assert reponse.json() == {
        "structure": {k: armentieres[k] for k in ("id", "nom", "siret")},
        "actions_par_type": {
            "atelier": 0,
            "permanence": 0,
            "parcours_ordinateur": 2,
            "parcours_tablette": 1,
        },
        "bilans": [
            {
                "appel": bilan["appel"],
                "calcule_le": bilan["calcule_le"],
                "valeurs": armentieres["valeurs"],
            }
        ],
    }
    autre = client.get(reverse("api:structure-activite", args=[houplines["id"]])).json()
    assert autre["actions_par_type"]["atelier"] == 2
    assert autre["bilans"][0]["valeurs"] == houplines["valeurs"]


def test_l_activite_d_une_structure_hors_du_perimetre_est_introuvable(cohorte):
    laureate = cohorte.candidatures.filter(etat="retenue").order_by("pk").first().structure
    non_retenue = CandidatureFactory(appel=cohorte, non_retenue=True).structure
    gestionnaire = client_de(cohorte, gestionnaire=True)
    autre_gestionnaire = UtilisateurFactory(gestionnaire=True)
    cohorte.programme.gestionnaires.add(autre_gestionnaire)
    _jeton, clair = jeton_pour(autre_gestionnaire, ProgrammeFactory())

    assert gestionnaire.get(_activite(non_retenue)).status_code == 404
    assert client_de(cohorte, observateur=True).get(_activite(laureate)).status_code == 404
    assert client_api(clair).get(_activite(laureate)).status_code == 404
    reponse = gestionnaire.get("/api/v1/structures/999999/activite/")
    assert reponse.status_code == 404
    assert reponse.json() == {
        "detail": "Aucune structure lauréate du programme du jeton ne porte ce numéro."
    }


@pytest.fixture
def schema_de_l_api(db):
    """Comme tests/api/test_conformite.py : l'application appelée dans le processus du test,
    sans fermer la connexion qui tient sa transaction."""
    signal.request_started.disconnect(close_old_connections)
    signal.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema.json", get_wsgi_application())
    signal.request_started.connect(close_old_connections)
    signal.request_finished.connect(close_old_connections)


def test_le_bilan_masque_de_l_observateur_est_conforme_au_schema(cohorte, schema_de_l_api):
    """Les marques, les nombres et les null de l'observateur tiennent dans le schéma publié
    (la conformité générale n'appelle l'API qu'avec le jeton d'un gestionnaire)."""
    observateur = UtilisateurFactory(observateur=True)
    _jeton, clair = jeton_pour(observateur, cohorte.programme)
    operation = schema_de_l_api["/api/v1/bilans/{slug}/"]["GET"]
    case = operation.Case(path_parameters={"slug": cohorte.slug})

    reponse = case.call_and_validate(
        headers={"Authorization": f"Bearer {clair}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )

    assert reponse.status_code == 200
    assert reponse.json()["cohorte"]["parcours_complets_pct"] == "masqué"
    # Une page d'une structure, avec ses liens (une adresse, puis null), tient aussi dans le
    # schéma ; un curseur inventé répond 404, statut documenté.
    for parametres, statut in (({"taille": 1}, 200), ({"curseur": "inventé"}, 404)):
        case = operation.Case(path_parameters={"slug": cohorte.slug}, query=parametres)
        reponse = case.call_and_validate(
            headers={"Authorization": f"Bearer {clair}"},
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        )
        assert reponse.status_code == statut
    assert reponse.json() == {"detail": "Curseur invalide."}


def test_le_schema_decrit_les_pages_du_bilan(client):
    schema = client.get("/api/v1/schema.json").json()
    operation = schema["paths"]["/api/v1/bilans/{slug}/"]["get"]

    parametres = {p["name"]: p for p in operation["parameters"]}
    assert sorted(parametres) == ["curseur", "slug", "taille"]
    assert parametres["taille"]["schema"] == {"type": "integer"}
    assert parametres["taille"]["description"] == "Nombre de lignes par page (200 au plus)."
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    bilan = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    for lien in ("next", "previous"):
        assert bilan["properties"][lien]["type"] == "string"
        assert bilan["properties"][lien]["nullable"] is True
        assert lien in bilan["required"]
