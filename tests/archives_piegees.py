"""Des archives zip piégées, écrites octet par octet sans jamais tenir leur contenu décompressé
en mémoire : une « bombe » de 2 Gio de zéros pèse 2 Mo et se fabrique en une fraction de
seconde, et l'on peut faire mentir une archive sur la taille de ce qu'elle contient.

Le flux deflate d'un grand nombre de zéros est un même bloc répété : après Z_FULL_FLUSH, un
bloc ne renvoie à rien de ce qui le précède, et les blocs se suivent donc tels quels.
"""

import struct
import zlib
from dataclasses import dataclass
from functools import cache

MIO = 1024 * 1024
DEFLATE = 8
STOCKE = 0
# Le 1er janvier 1980, au format des dates MS-DOS des archives zip.
DATE_DOS = 0x21


@dataclass(frozen=True)
class Membre:
    nom: str
    donnees: bytes  # telles qu'écrites dans l'archive (comprimées ou non)
    methode: int
    crc: int
    taille_annoncee: int


def membre(nom, contenu):
    """Un fichier interne ordinaire, comprimé, qui dit la vérité sur sa taille."""
    contenu = contenu.encode() if isinstance(contenu, str) else contenu
    compresseur = zlib.compressobj(9, zlib.DEFLATED, -15)
    donnees = compresseur.compress(contenu) + compresseur.flush()
    return Membre(nom, donnees, DEFLATE, zlib.crc32(contenu), len(contenu))


def membre_stocke(nom, contenu):
    contenu = contenu.encode() if isinstance(contenu, str) else contenu
    return Membre(nom, contenu, STOCKE, zlib.crc32(contenu), len(contenu))


@cache
def _un_mio_de_zeros_comprime():
    compresseur = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compresseur.compress(bytes(MIO)) + compresseur.flush(zlib.Z_FULL_FLUSH)


@cache
def crc_de_zeros(mio):
    somme, zeros = 0, bytes(MIO)
    for _ in range(mio):
        somme = zlib.crc32(zeros, somme)
    return somme


def membre_de_zeros(nom, mio, *, taille_annoncee=None, crc=None):
    """`mio` Mio de zéros, comprimés environ mille fois. `taille_annoncee` : ce que l'archive
    déclare (par défaut la vérité) ; `crc` : la somme déclarée (par défaut 0, pour ne pas
    passer trois secondes à la calculer quand elle ne sert pas)."""
    fin = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    donnees = _un_mio_de_zeros_comprime() * mio + fin
    annoncee = mio * MIO if taille_annoncee is None else taille_annoncee
    return Membre(nom, donnees, DEFLATE, crc or 0, annoncee)


def archive(membres):
    """Les octets d'une archive zip : en-têtes locaux et données, répertoire central, fin."""
    corps, repertoire = bytearray(), bytearray()
    for m in membres:
        nom = m.nom.encode()
        position = len(corps)
        champs = (m.methode, 0, DATE_DOS, m.crc, len(m.donnees), m.taille_annoncee, len(nom))
        corps += struct.pack("<4sHHHHHLLLHH", b"PK\x03\x04", 20, 0, *champs, 0)
        corps += nom + m.donnees
        repertoire += struct.pack(
            "<4sHHHHHHLLLHHHHHLL", b"PK\x01\x02", 20, 20, 0, *champs, 0, 0, 0, 0, 0, position
        )
        repertoire += nom
    fin = struct.pack(
        "<4sHHHHLLH",
        b"PK\x05\x06",
        0,
        0,
        len(membres),
        len(membres),
        len(repertoire),
        len(corps),
        0,
    )
    return bytes(corps + repertoire + fin)


def odt(*autres):
    return archive(
        [
            membre_stocke("mimetype", "application/vnd.oasis.opendocument.text"),
            membre("content.xml", "<office:document-content/>"),
            *autres,
        ]
    )


def docx(*autres, document=None):
    return archive(
        [
            membre("[Content_Types].xml", "<Types/>"),
            document or membre("word/document.xml", "<w:document/>"),
            *autres,
        ]
    )
