"""Bombes zip : un document ODT, DOCX ou XLSX de quelques Mo qui se décompresse en gigaoctets
est refusé par chaque formulaire de dépôt (pièces d'une candidature, preuves d'une étape,
import d'activité), sans que la vérification n'occupe plus de quelques Mo de mémoire, même
quand l'archive ment sur la taille de ce qu'elle contient."""

import io
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from accompagnement.enums import TypeJalon
from accompagnement.models import Jalon, PreuveJalon
from activite.models import Action, Beneficiaire
from candidatures.models import PieceJointe
from noyau.archives_zip import ArchiveRefusee, verifier_archive_zip
from noyau.erreurs import DonneesRefusees
from noyau.fichiers import DOCX, ODT, verifier_fichier
from tests.accompagnement.factories import plan_pour
from tests.activite.factories import BeneficiaireFactory
from tests.archives_piegees import (
    MIO,
    archive,
    crc_de_zeros,
    docx,
    membre,
    membre_de_zeros,
    membre_stocke,
    odt,
)
from tests.candidatures import fichiers
from tests.candidatures.factories import AppelFactory, CandidatureFactory, StructureFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

DEUX_GIO = 2048  # en Mio
PIC_MAX = 4 * MIO


def _trop_gros(nom):
    return (
        f"Le fichier « {nom} » se décompresse en plus de 50 Mo : il est refusé. Un document "
        "ordinaire en occupe quelques Mo : vérifiez qu'il s'agit du bon fichier."
    )


def _abime(nom, format_):
    return (
        f"Le contenu du fichier « {nom} » n'est pas celui d'un fichier {format_} : il a "
        "peut-être été renommé ou abîmé. Enregistrez-le de nouveau au bon format."
    )


def _verifier_en_mesurant(nom, contenu):
    """(format reconnu ou message du refus, pic de mémoire allouée pendant la vérification)."""
    depot = SimpleUploadedFile(nom, contenu)
    tracemalloc.start()
    try:
        resultat = verifier_fichier(depot)
    except DonneesRefusees as refus:
        resultat = refus.message
    finally:
        _, pic = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return resultat, pic


@pytest.fixture(autouse=True)
def fichiers_isoles(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Ce que fait zipfile d'une archive qui ment --------------------------------------------


def test_zipfile_seul_tronque_sans_rien_dire_un_fichier_interne_qui_ment():
    """Pourquoi l'on compte soi-même : une archive qui annonce 100 octets pour un flux de
    64 Mio, avec la somme de contrôle de ces 100 octets, est lue par zipfile comme un fichier
    de 100 octets ; le reste du flux n'est jamais décompressé et rien ne le signale. La
    vérification, elle, voit les 64 Mio."""
    menteur = membre_de_zeros(
        "word/document.xml", 64, taille_annoncee=100, crc=zlib.crc32(bytes(100))
    )

    with zipfile.ZipFile(io.BytesIO(docx(document=menteur))) as lue:
        assert lue.read("word/document.xml") == bytes(100)
    with pytest.raises(ArchiveRefusee):
        verifier_archive_zip(io.BytesIO(docx(document=menteur)), nom="rapport.docx")


# --- La vérification elle-même : message et mémoire ----------------------------------------


def test_une_bombe_odt_de_2_gio_est_refusee_sans_depasser_4_mo():
    # La forme de l'incident : le fichier interne « mimetype » d'un ODT de 2 Mo fait 2 Gio.
    bombe = archive([membre_de_zeros("mimetype", DEUX_GIO), membre("content.xml", "<x/>")])
    assert len(bombe) < 3 * MIO

    resultat, pic = _verifier_en_mesurant("statuts.odt", bombe)

    assert pic < PIC_MAX
    assert resultat == _trop_gros("statuts.odt")


def test_une_bombe_docx_qui_annonce_100_octets_est_refusee_a_50_mo():
    # Le répertoire central annonce 100 octets ; le flux en produit 2 Gio.
    menteur = membre_de_zeros("word/document.xml", DEUX_GIO, taille_annoncee=100)

    resultat, pic = _verifier_en_mesurant("rapport.docx", docx(document=menteur))

    assert pic < PIC_MAX
    assert resultat == _trop_gros("rapport.docx")


def test_une_archive_qui_ment_sous_la_borne_est_refusee_comme_abimee():
    menteur = membre_de_zeros("word/document.xml", 3, taille_annoncee=100, crc=crc_de_zeros(3))

    resultat, _ = _verifier_en_mesurant("rapport.docx", docx(document=menteur))

    assert resultat == _abime("rapport.docx", "DOCX")


def test_une_somme_de_controle_fausse_est_refusee_comme_abimee():
    faux = membre_de_zeros("word/document.xml", 1, crc=crc_de_zeros(1) ^ 1)

    resultat, _ = _verifier_en_mesurant("rapport.docx", docx(document=faux))

    assert resultat == _abime("rapport.docx", "DOCX")


def test_soixante_mille_fichiers_internes_sont_refuses_avant_d_etre_listes():
    # 5 Mo, sous la limite de 10 Mo : zipfile en ferait soixante mille objets, soit 30 Mo.
    vides = [membre_stocke(f"m{numero}", b"") for numero in range(60_000)]
    nombreux = docx(*vides)
    assert len(nombreux) < 10 * MIO

    resultat, pic = _verifier_en_mesurant("rapport.docx", nombreux)

    assert pic < PIC_MAX
    assert resultat == (
        "Le fichier « rapport.docx » contient plus de 1000 fichiers internes : ce n'est pas un "
        "document ordinaire, il est refusé."
    )


def test_un_element_compresse_plus_de_cent_fois_est_refuse_sans_etre_decompresse():
    # 10 Mio de zéros : sous la borne de 50 Mo, mais compressés mille fois.
    remplissage = membre_de_zeros("word/media/fond.bin", 10, crc=crc_de_zeros(10))

    resultat, pic = _verifier_en_mesurant("rapport.docx", docx(remplissage))

    assert pic < PIC_MAX
    assert resultat == (
        "Le fichier « rapport.docx » contient un élément compressé plus de 100 fois, ce que ne "
        "fait aucun document ordinaire : il est refusé."
    )


def test_le_type_mime_d_un_odt_est_lu_sur_quelques_octets():
    # Un « mimetype » de 9 Mio (sous toutes les bornes, stocké sans compression) : seuls ses
    # premiers octets sont lus pour reconnaître le format.
    long = membre_stocke("mimetype", ODT.type_mime.encode() + b" " * (9 * MIO))

    resultat, pic = _verifier_en_mesurant("statuts.odt", archive([long]))

    assert resultat == ODT
    assert pic < PIC_MAX


def test_des_documents_ordinaires_passent():
    texte = " ".join(f"<w:p><w:r><w:t>Ligne {n} du projet</w:t></w:r></w:p>" for n in range(40_000))
    # Plus de 2 Mio de XML, compressé une vingtaine de fois comme un vrai document.
    assert len(texte) > 2 * MIO
    image = bytes(range(256)) * (3 * MIO // 256)
    document = docx(
        membre_stocke("word/media/photo.png", image),
        document=membre("word/document.xml", texte),
    )

    assert verifier_fichier(SimpleUploadedFile("rapport.docx", document)) == DOCX
    assert verifier_fichier(SimpleUploadedFile("statuts.odt", fichiers.ODT)) == ODT
    assert verifier_fichier(SimpleUploadedFile("statuts.docx", fichiers.DOCX)) == DOCX
    assert verifier_fichier(SimpleUploadedFile("statuts.odt", odt())) == ODT


def test_une_archive_refusee_laisse_le_fichier_au_debut():
    depot = io.BytesIO(odt(membre_de_zeros("x.bin", 60)))

    with pytest.raises(ArchiveRefusee):
        verifier_archive_zip(depot, nom="statuts.odt")

    assert depot.tell() == 0


# --- Chaque formulaire de dépôt ------------------------------------------------------------


def _bombe_odt():
    return archive([membre_de_zeros("mimetype", DEUX_GIO), membre("content.xml", "<x/>")])


def test_piece_d_une_candidature_bombe_refusee_et_saisie_gardee(client):
    candidat = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    structure = StructureFactory(nom="CCAS de Houplines", membres=[candidat])
    brouillon = CandidatureFactory(
        appel=AppelFactory(ouvert=True, avec_questions=True), structure=structure
    )
    texte, *_ = brouillon.appel.questions.all()
    piece = brouillon.appel.pieces_demandees.get()
    client.force_login(candidat)

    reponse = client.post(
        reverse("candidatures:formulaire", args=[brouillon.pk]),
        {
            f"q_{texte.pk}": "Des seniors isolés.",
            f"piece_{piece.pk}": SimpleUploadedFile("statuts.odt", _bombe_odt()),
            "action": "enregistrer",
        },
    )

    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {f"piece_{piece.pk}": [_trop_gros("statuts.odt")]}
    assert "Des seniors isolés.</textarea>" in reponse.text
    assert PieceJointe.objects.count() == 0


def test_preuve_d_une_etape_bombe_refusee_et_note_gardee(client):
    membre_structure = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    plan = plan_pour(structure__nom="CCAS de Houplines", structure__membres=[membre_structure])
    jalon = plan.jalons.get(type=TypeJalon.DIAGNOSTIC)
    menteur = membre_de_zeros("word/document.xml", DEUX_GIO, taille_annoncee=100)
    client.force_login(membre_structure)

    reponse = client.post(
        reverse("accompagnement:jalon_preuve", args=[jalon.pk]),
        {
            "note": "Diagnostic signé par la directrice.",
            "fichiers": [SimpleUploadedFile("diagnostic.docx", docx(document=menteur))],
        },
    )

    assert reponse.status_code == 400
    assert [str(m) for m in reponse.context["messages"]] == [_trop_gros("diagnostic.docx")]
    assert "Diagnostic signé par la directrice.</textarea>" in reponse.text
    assert Jalon.objects.get(pk=jalon.pk).note == ""
    assert PreuveJalon.objects.count() == 0


def test_import_d_activite_bombe_refuse_sans_rien_ecrire(client):
    membre_structure = UtilisateurFactory(candidat=True, email="agent@houplines.test")
    structure = StructureFactory(nom="CCAS de Houplines", membres=[membre_structure])
    CandidatureFactory(structure=structure, retenue=True)
    BeneficiaireFactory(structure=structure, code="DEJA")
    classeur = archive(
        [
            membre("[Content_Types].xml", "<Types/>"),
            membre("xl/workbook.xml", "<workbook/>"),
            membre_de_zeros("xl/worksheets/sheet1.xml", DEUX_GIO),
        ]
    )
    client.force_login(membre_structure)

    reponse = client.post(
        reverse("activite:importer", args=[structure.pk]),
        {"fichiers": SimpleUploadedFile("activite.xlsx", classeur), "remplacer": "on"},
    )

    assert reponse.status_code == 400
    assert reponse.context["erreur_lecture"] == _trop_gros("activite.xlsx")
    assert escape(_trop_gros("activite.xlsx")) in reponse.text
    assert reponse.context["form"]["remplacer"].value() is True
    assert list(Beneficiaire.objects.values_list("code", flat=True)) == ["DEJA"]
    assert Action.objects.count() == 0
