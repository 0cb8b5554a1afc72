"""La saisie d'une action par la structure : les nouveaux participants en tableau (libellés en
tête de colonne, un nom accessible par champ), une ligne de plus sans JavaScript, la commune de
résidence cherchée par son nom et enregistrée par son code INSEE."""

import re

import pytest
from django.urls import reverse

from activite.models import Action, Beneficiaire
from tests.activite.factories import ThemeFactory
from tests.candidatures.factories import membre_de

pytestmark = pytest.mark.django_db


@pytest.fixture
def membre(structure):
    return membre_de(structure, email="agent@houplines.test")


def _adresse(structure):
    return reverse("activite:action_nouvelle", args=[structure.pk])


def _donnees(lignes=1, **autres):
    return {
        "type": "atelier",
        "theme": ThemeFactory(libelle="Accès aux droits").pk,
        "date_debut": "2023-03-14",
        "date_fin": "",
        "duree_heures": "1,5",
        "codes": "",
        "nouveaux-TOTAL_FORMS": str(lignes),
        "nouveaux-INITIAL_FORMS": "0",
        "nouveaux-MIN_NUM_FORMS": "0",
        "nouveaux-MAX_NUM_FORMS": "30",
        **autres,
    }


def _tableau(contenu):
    debut = contenu.split('class="table table-sm align-top caption-top tableau-nouveaux"')[1]
    return debut.split("</table>")[0]


def test_les_libelles_des_colonnes_ne_sont_ecrits_qu_une_fois(client, structure, membre):
    client.force_login(membre)

    contenu = client.get(_adresse(structure)).content.decode()

    tableau = _tableau(contenu)
    assert re.findall(r'<th scope="col">([^<]+)</th>', tableau) == [
        "Code",
        "Genre",
        "Année de naissance",
        "Commune de résidence",
    ]
    # Une ligne, et pour chacun de ses champs un seul libellé, masqué, qui le nomme.
    libelles = re.findall(r'<label class="([^"]*)" for="([^"]+)">\s*([^<]+?)\s*</label>', tableau)
    assert libelles == [
        ("visually-hidden", "id_nouveaux-0-code", "Code du nouveau participant 1"),
        ("visually-hidden", "id_nouveaux-0-genre", "Genre du nouveau participant 1"),
        (
            "visually-hidden",
            "id_nouveaux-0-annee_naissance",
            "Année de naissance du nouveau participant 1",
        ),
        (
            "visually-hidden",
            "id_nouveaux-0-commune",
            "Commune de résidence du nouveau participant 1",
        ),
    ]
    assert tableau.count('data-communes-url="/territoires/communes/"') == 1
    assert "INSEE" not in tableau
    assert "territoires/autocompletion-communes.js" in contenu


def test_ajouter_une_ligne_garde_ce_qui_est_tape_et_n_ecrit_rien(client, structure, membre):
    client.force_login(membre)

    reponse = client.post(
        _adresse(structure),
        _donnees(
            ajouter_ligne="1",
            type="parcours_tablette",
            **{
                "nouveaux-0-code": "MAISON-7",
                "nouveaux-0-genre": "F",
                "nouveaux-0-annee_naissance": "1950",
                "nouveaux-0-commune": "Houplines (59)",
                "nouveaux-0-commune_code": "59317",
            },
        ),
    )

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    tableau = _tableau(contenu)
    assert re.findall(r'for="id_nouveaux-(\d)-code"', tableau) == ["0", "1"]
    assert 'name="nouveaux-0-code" value="MAISON-7"' in tableau
    assert 'name="nouveaux-0-annee_naissance" value="1950"' in tableau
    assert 'name="nouveaux-0-commune" value="Houplines (59)"' in tableau
    assert 'name="nouveaux-0-commune_code" value="59317"' in tableau
    assert re.search(r'name="nouveaux-1-code"[^>]*autofocus', tableau)
    assert '<option value="parcours_tablette" selected>' in contenu
    # Rien de validé à ce stade : ni erreur (le parcours n'a pas de date de fin), ni écriture.
    assert "Indiquez la date de la dernière séance du parcours." not in contenu
    assert (Action.objects.count(), Beneficiaire.objects.count()) == (0, 0)


def test_la_commune_tapee_par_son_nom_est_enregistree_par_son_code(client, structure, membre):
    client.force_login(membre)

    reponse = client.post(
        _adresse(structure),
        _donnees(
            lignes=2,
            **{
                "nouveaux-0-genre": "F",
                "nouveaux-0-commune": "Houplines",
                "nouveaux-1-genre": "H",
                "nouveaux-1-commune": "Armentières (59)",
                "nouveaux-1-commune_code": "59017",
            },
        ),
    )

    assert reponse.status_code == 302
    assert sorted(
        Beneficiaire.objects.filter(structure=structure).values_list(
            "code", "genre", "commune__code_insee"
        )
    ) == [("P0001", "F", "59317"), ("P0002", "H", "59017")]


def test_une_commune_inconnue_est_refusee_pres_du_champ(client, structure, membre):
    client.force_login(membre)

    reponse = client.post(
        _adresse(structure),
        _donnees(**{"nouveaux-0-genre": "F", "nouveaux-0-commune": "Houplinnes-sur-Mer"}),
    )

    assert reponse.status_code == 400
    tableau = _tableau(reponse.content.decode())
    assert (
        "Aucune commune ne correspond à « Houplinnes-sur-Mer » : vérifiez l&#x27;orthographe."
        in tableau
    )
    assert 'value="Houplinnes-sur-Mer"' in tableau
    assert (Action.objects.count(), Beneficiaire.objects.count()) == (0, 0)


def test_la_page_des_beneficiaires_demande_la_commune_par_son_nom(client, structure, membre):
    client.force_login(membre)
    adresse = reverse("activite:beneficiaires", args=[structure.pk])

    page = client.get(adresse).content.decode()
    reponse = client.post(
        adresse, {"code": "", "genre": "F", "annee_naissance": "1958", "commune": "Houplines"}
    )

    assert "code INSEE" not in page
    assert re.search(r'<label\s+for="id_commune"[^>]*>\s*Commune de résidence\s*</label>', page)
    assert reponse.status_code == 302
    assert Beneficiaire.objects.get(structure=structure).commune.code_insee == "59317"


@pytest.mark.parametrize(
    "tape, attendu",
    [("59317", "59317"), ("Saint-Amand-les-Eaux", "59526"), ("Houplines (59)", "59317")],
)
def test_la_commune_se_tape_par_son_nom_ou_son_code(client, structure, membre, tape, attendu):
    client.force_login(membre)

    reponse = client.post(
        reverse("activite:beneficiaires", args=[structure.pk]), {"genre": "H", "commune": tape}
    )

    assert reponse.status_code == 302
    assert Beneficiaire.objects.get(structure=structure).commune.code_insee == attendu


def test_un_nom_qui_designe_plusieurs_communes_demande_de_choisir(client, structure, membre):
    client.force_login(membre)

    reponse = client.post(
        reverse("activite:beneficiaires", args=[structure.pk]), {"genre": "H", "commune": "Saint"}
    )

    assert reponse.status_code == 400
    assert reponse.context["form"].errors["commune"] == [
        "Plusieurs communes correspondent à « Saint » : choisissez dans la liste, ou ajoutez le "
        "département entre parenthèses, comme « Houplines (59) »."
    ]
    assert Beneficiaire.objects.count() == 0
