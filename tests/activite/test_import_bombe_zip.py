"""Un classeur XLSX est une archive zip : l'import refuse, avant qu'openpyxl ne le lise, celui
qui se décompresserait au-delà de 50 Mo ou qui compte trop de fichiers internes, et dit
pourquoi en français sans rien écrire (les bornes sont celles de toute archive déposée :
tests/securite/test_bombes_zip.py)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook

from activite.models import Action, Beneficiaire, Participation
from tests.activite.factories import BeneficiaireFactory
from tests.candidatures.factories import membre_de

pytestmark = pytest.mark.django_db

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def membre(client, structure):
    membre = membre_de(structure, email="agent@houplines.test")
    client.force_login(membre)
    return membre


def _classeur():
    """Les octets d'un vrai classeur : deux bénéficiaires, un atelier, deux participations."""
    classeur = Workbook()
    classeur.remove(classeur.active)
    feuilles = {
        "beneficiaires": [
            ["code", "genre", "annee_naissance", "commune_insee"],
            ["P1", "F", 1950, ""],
            ["P2", "H", "", ""],
        ],
        "actions": [
            ["ref", "type", "theme", "date_debut", "date_fin", "duree_heures"],
            ["A1", "atelier", "", "2023-03-01", "", 2],
        ],
        "participations": [
            ["action_ref", "beneficiaire_code", "statut"],
            ["A1", "P1", "present"],
            ["A1", "P2", "present"],
        ],
    }
    for nom, lignes in feuilles.items():
        feuille = classeur.create_sheet(nom)
        for ligne in lignes:
            feuille.append(ligne)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


def _ajouter_membres(contenu, membres):
    tampon = io.BytesIO(contenu)
    with zipfile.ZipFile(tampon, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for nom, octets in membres:
            archive.writestr(nom, octets, compresslevel=9)
    return tampon.getvalue()


def _envoyer(client, structure, contenu, **autres):
    return client.post(
        reverse("activite:importer", args=[structure.pk]),
        {
            "fichiers": SimpleUploadedFile("activite.xlsx", contenu, content_type=TYPE_XLSX),
            **autres,
        },
    )


def _activite(structure):
    return (
        sorted(Beneficiaire.objects.filter(structure=structure).values_list("code", flat=True)),
        Action.objects.filter(structure=structure).count(),
        Participation.objects.filter(action__structure=structure).count(),
    )


def test_import_d_un_classeur_xlsx_televerse(client, structure, membre):
    reponse = _envoyer(client, structure, _classeur())

    assert reponse.status_code == 200
    assert "Import terminé." in reponse.content.decode()
    assert _activite(structure) == (["P1", "P2"], 1, 2)


def test_import_refuse_une_bombe_zip_et_ne_touche_a_rien(client, structure, membre):
    BeneficiaireFactory(structure=structure, code="DEJA")
    # 60 Mo de zéros tiennent dans quelques dizaines de Ko une fois compressés. openpyxl ne lirait
    # même pas ce fichier interne : c'est bien la vérification préalable qui refuse le classeur.
    bombe = _ajouter_membres(_classeur(), [("xl/media/zeros.bin", bytes(60 * 1024 * 1024))])
    assert len(bombe) < 200 * 1024

    reponse = _envoyer(client, structure, bombe, remplacer="on")

    message = (
        "Le fichier « activite.xlsx » se décompresse en plus de 50 Mo : il est refusé. Un "
        "document ordinaire en occupe quelques Mo : vérifiez qu'il s'agit du bon fichier."
    )
    assert reponse.status_code == 400
    assert reponse.context["erreur_lecture"] == message
    assert escape(message) in reponse.content.decode()
    # Le formulaire revient tel qu'il a été rempli, et même « remplacer » n'a rien effacé.
    assert reponse.context["form"]["remplacer"].value() is True
    assert _activite(structure) == (["DEJA"], 0, 0)


def test_import_refuse_un_classeur_aux_milliers_de_fichiers_internes(client, structure, membre):
    petit_bout = [(f"xl/media/bout{numero}.bin", b"") for numero in range(1001)]

    reponse = _envoyer(client, structure, _ajouter_membres(_classeur(), petit_bout))

    assert reponse.status_code == 400
    assert reponse.context["erreur_lecture"] == (
        "Le fichier « activite.xlsx » contient plus de 1000 fichiers internes : ce n'est pas "
        "un document ordinaire, il est refusé."
    )
    assert _activite(structure) == ([], 0, 0)


def test_import_refuse_un_xlsx_qui_n_est_pas_une_archive(client, structure, membre):
    reponse = _envoyer(client, structure, b"code,genre\nP1,F\n")

    assert reponse.status_code == 400
    assert reponse.context["erreur_lecture"] == (
        "activite.xlsx : ce fichier n'est pas un classeur XLSX lisible."
    )
    assert _activite(structure) == ([], 0, 0)
