"""Contrôle des fichiers déposés : extension autorisée, contenu qui correspond à l'extension
(on lit les premiers octets, on ne croit ni le nom ni le type annoncé par le navigateur),
taille maximale réglable (CANDIDATURES_TAILLE_MAX_PIECE_JOINTE, 10 Mo par défaut). Un ODT ou un
DOCX est une archive zip : elle passe d'abord par les bornes de `archives_zip`."""

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext

from noyau.archives_zip import (
    ERREURS_DE_LECTURE,
    ArchiveIllisible,
    ArchiveRefusee,
    verifier_archive_zip,
)
from noyau.erreurs import DonneesRefusees

TAILLE_MAX_PAR_DEFAUT = 10 * 1024 * 1024


def formats_acceptes():
    """La liste des formats, dans la langue de la personne qui lit."""
    return gettext("PDF, ODT, DOCX, JPG ou PNG")


ACCEPT_HTML = ".pdf,.odt,.docx,.jpg,.jpeg,.png"


@dataclass(frozen=True)
class Format:
    nom: str
    type_mime: str


PDF = Format("PDF", "application/pdf")
ODT = Format("ODT", "application/vnd.oasis.opendocument.text")
DOCX = Format("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
JPEG = Format("JPG", "image/jpeg")
PNG = Format("PNG", "image/png")

FORMAT_PAR_EXTENSION = {".pdf": PDF, ".odt": ODT, ".docx": DOCX, ".jpg": JPEG, ".jpeg": JPEG}
FORMAT_PAR_EXTENSION[".png"] = PNG


def taille_max():
    return getattr(settings, "CANDIDATURES_TAILLE_MAX_PIECE_JOINTE", TAILLE_MAX_PAR_DEFAUT)


def _en_mo(octets):
    taille = f"{octets / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "")
    return gettext("%(taille)s Mo") % {"taille": taille}


def _format_d_archive(fichier, nom):
    """ODT, DOCX ou None ; lève DonneesRefusees pour une archive qui dépasse les bornes."""
    try:
        verifier_archive_zip(fichier, nom=nom)
    except ArchiveRefusee as refus:
        raise DonneesRefusees(refus.message) from refus
    except ArchiveIllisible:
        return None
    try:
        with zipfile.ZipFile(fichier) as archive:
            noms = set(archive.namelist())
            if "mimetype" in noms:
                # Juste assez d'octets pour reconnaître le type, jamais le fichier interne entier.
                with archive.open("mimetype") as mimetype:
                    debut = mimetype.read(len(ODT.type_mime) + 2)
                if debut.strip() == ODT.type_mime.encode():
                    return ODT
            if "[Content_Types].xml" in noms and "word/document.xml" in noms:
                return DOCX
    except ERREURS_DE_LECTURE:
        return None
    finally:
        fichier.seek(0)
    return None


def _format_du_contenu(fichier, nom):
    fichier.seek(0)
    debut = fichier.read(8)
    fichier.seek(0)
    if debut.startswith(b"%PDF-"):
        return PDF
    if debut.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if debut.startswith(b"\xff\xd8\xff"):
        return JPEG
    if debut.startswith(b"PK\x03\x04"):
        return _format_d_archive(fichier, nom)
    return None


def verifier_fichier(fichier):
    """Renvoie le Format du fichier ou lève DonneesRefusees avec un message clair."""
    nom = PurePosixPath(fichier.name or "").name
    if fichier.size == 0:
        raise DonneesRefusees(gettext("Le fichier « %(nom)s » est vide.") % {"nom": nom})
    if fichier.size > taille_max():
        raise DonneesRefusees(
            gettext(
                "Le fichier « %(nom)s » pèse %(taille)s : la limite est de %(limite)s par "
                "fichier. Réduisez-le (export PDF compressé, photo moins grande) puis déposez-le "
                "à nouveau."
            )
            % {"nom": nom, "taille": _en_mo(fichier.size), "limite": _en_mo(taille_max())}
        )
    format_annonce = FORMAT_PAR_EXTENSION.get(PurePosixPath(nom).suffix.lower())
    if format_annonce is None:
        raise DonneesRefusees(
            gettext(
                "Le fichier « %(nom)s » n'est pas d'un type accepté. Formats acceptés : "
                "%(formats)s."
            )
            % {"nom": nom, "formats": formats_acceptes()}
        )
    if _format_du_contenu(fichier, nom) != format_annonce:
        raise DonneesRefusees(
            gettext(
                "Le contenu du fichier « %(nom)s » n'est pas celui d'un fichier %(format)s : il a "
                "peut-être été renommé ou abîmé. Enregistrez-le de nouveau au bon format."
            )
            % {"nom": nom, "format": format_annonce.nom}
        )
    return format_annonce


def servir_fichier(fichier, *, nom, type_mime):
    """Réponse qui fait télécharger un fichier déposé (jamais affiché dans la page) ; 404 si le
    stockage ne l'a plus, plutôt qu'une erreur 500."""
    from django.http import FileResponse, Http404

    try:
        contenu = fichier.open("rb")
    except OSError as erreur:
        raise Http404(gettext("Ce fichier n'est plus disponible.")) from erreur
    return FileResponse(contenu, as_attachment=True, filename=nom, content_type=type_mime)
