"""Ce que l'API montre sans jeton : un appel ouvert et ses règles, l'éligibilité d'une commune ;
la documentation en français et son schéma OpenAPI valide."""

import pytest
from django.core.management import call_command

from tests.api.outils import client_api
from tests.candidatures.factories import AppelFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_un_appel_ouvert_et_ses_regles():
    programme = ProgrammeFactory(nom="Inclusion MEL", slug="inclusion-mel")
    appel = AppelFactory(programme=programme, ouvert=True, slug="ami-2027", nombre_places=12)

    donnees = client_api().get(f"/api/v1/appels/{appel.pk}/").json()

    assert donnees["programme"] == {
        "id": programme.pk,
        "nom": "Inclusion MEL",
        "slug": "inclusion-mel",
    }
    assert (donnees["slug"], donnees["etat"], donnees["nombre_places"]) == (
        "ami-2027",
        "ouvert",
        12,
    )
    assert donnees["page"] == "http://testserver/appels/ami-2027/"
    assert donnees["regles_eligibilite"] == {
        "perimetre_epci": ["200093201"],
        "perimetre_departements": [],
        "seuil_population": 21000,
        "type_population": "municipale",
        "version_qpv": "",
        "qpv_intercommunal": "ineligible",
        "types_structure": [],
    }


def test_l_eligibilite_d_une_commune_au_regard_d_un_appel():
    appel = AppelFactory(ouvert=True)

    reponse = client_api().get("/api/v1/eligibilite/", {"commune": "59317", "appel": appel.pk})

    assert reponse.status_code == 200
    donnees = reponse.json()
    assert (donnees["result"], donnees["commune"], donnees["population"]) == (
        "eligible",
        "Houplines",
        7921,
    )
    assert donnees["summary"] == (
        "Houplines (59317) : dans le périmètre de l'appel (Métropole Européenne de Lille, "
        "EPCI 200093201) ; "
        "7\u00a0921 habitants (INSEE 2023) < 21\u00a0000 ; aucun QPV (liste 2024) : éligible"
    )


@pytest.mark.parametrize(
    ("parametres", "statut", "corps"),
    [
        ({}, 400, {"commune": ["Ce champ est obligatoire."]}),
        (
            {"commune": "00000"},
            400,
            {
                "commune": [
                    "Code INSEE inconnu : « 00000 » n'est ni une commune en vigueur, ni un "
                    "arrondissement municipal, ni une ancienne commune connue."
                ]
            },
        ),
        (
            {"commune": "59317", "appel": 999999},
            404,
            {"detail": "Aucun appel ouvert ne porte cet identifiant."},
        ),
    ],
)
def test_une_demande_d_eligibilite_refusee_dit_pourquoi(parametres, statut, corps):
    reponse = client_api().get("/api/v1/eligibilite/", parametres)

    assert (reponse.status_code, reponse.json()) == (statut, corps)


def test_le_brouillon_d_un_appel_n_est_pas_public():
    appel = AppelFactory()

    assert client_api().get(f"/api/v1/appels/{appel.pk}/").status_code == 404
    assert (
        client_api()
        .get("/api/v1/eligibilite/", {"commune": "59317", "appel": appel.pk})
        .status_code
        == 404
    )


def test_le_schema_openapi_est_valide_sans_avertissement(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))

    assert (tmp_path / "s.yaml").read_text().startswith("openapi: 3.0.3")


def test_la_documentation_decrit_chaque_operation_du_schema(client):
    schema = client.get("/api/v1/schema.json").json()
    page = client.get("/api/v1/").content.decode()

    chemins = list(schema["paths"])
    assert "/api/v1/eligibilite/" in chemins
    for chemin in chemins:
        assert f'<code translate="no">{chemin}</code>' in page
    assert "Jetons et périmètre" in page


def test_un_objet_introuvable_repond_en_francais_sans_nommer_le_modele():
    reponse = client_api().get("/api/v1/appels/999999/")

    assert (reponse.status_code, reponse.json()) == (
        404,
        {"detail": "Aucun objet de ce type ne porte cet identifiant pour ce jeton."},
    )
