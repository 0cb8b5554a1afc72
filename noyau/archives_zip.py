"""Les archives zip déposées (ODT, DOCX, XLSX) : bornées avant et pendant la décompression.

Quelques Mo envoyés peuvent se décompresser en gigaoctets (une « bombe zip »). Toute archive
déposée, quel que soit le formulaire (pièces d'une candidature, preuves d'une étape, import
d'activité), passe par `verifier_archive_zip` avant que quoi que ce soit n'en soit lu :

1. le nombre de fichiers internes est borné avant même que zipfile ne lise le répertoire
   central : chaque entrée de ce répertoire commence par la signature PK\\x01\\x02, que zipfile
   exige, donc il ne peut pas en lister plus que le fichier ne contient de signatures ;
2. les tailles que l'archive déclare (leur somme, et le taux de compression de chaque fichier
   interne) sont bornées sans rien décompresser ;
3. chaque fichier interne est enfin décompressé par morceaux, sans rien garder, en comptant
   les octets réellement produits. Une archive peut mentir sur ses tailles : zipfile, lui,
   s'arrête à la taille déclarée et n'en dit rien si la somme de contrôle a été ajustée. On
   refuse au premier octet au-delà de la borne, et toute archive dont un fichier interne n'a
   pas la taille ou la somme de contrôle qu'elle déclare.

La mémoire occupée reste de l'ordre du Mo, quelle que soit l'archive.
"""

import copy
import struct
import zipfile
import zlib

from django.utils.translation import gettext

MIO = 1024 * 1024
# Un document ou un classeur ordinaire occupe quelques Mo une fois décompressé ; la borne est
# celle d'une requête entière (RELAIS_TAILLE_MAX_REQUETE).
TAILLE_DECOMPRESSEE_MAX = 50 * MIO
# Un classeur compte une dizaine de fichiers internes plus un par feuille, un document un par
# image : mille laisse de la marge.
MEMBRES_MAX = 1000
# Du XML se comprime de 5 à 30 fois ; cent fois, c'est du remplissage. Sous 1 Mio décompressé,
# un taux élevé ne coûte rien et n'est pas vérifié.
TAUX_DE_COMPRESSION_MAX = 100
TAUX_VERIFIE_AU_DELA_DE = MIO

TAILLE_D_UN_MORCEAU = 64 * 1024
SIGNATURE_DU_REPERTOIRE_CENTRAL = b"PK\x01\x02"
# Les formats bureautiques n'utilisent que ces deux méthodes ; les autres sont refusées.
METHODES_ACCEPTEES = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}

ERREURS_DE_LECTURE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    # zipfile lève RuntimeError pour une archive chiffrée, NotImplementedError (sa sous-classe)
    # pour une méthode de compression inconnue.
    RuntimeError,
    ValueError,
    KeyError,
)


class ArchiveRefusee(Exception):
    """L'archive se lit, mais dépasse une borne ; `message` se montre tel quel."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ArchiveIllisible(Exception):
    """Ce n'est pas une archive zip lisible, ou elle ment sur ce qu'elle contient."""


def _trop_decompresse(nom):
    return ArchiveRefusee(
        gettext(
            "Le fichier « %(nom)s » se décompresse en plus de %(taille)s Mo : il est refusé. Un "
            "document ordinaire en occupe quelques Mo : vérifiez qu'il s'agit du bon fichier."
        )
        % {"nom": nom, "taille": TAILLE_DECOMPRESSEE_MAX // MIO}
    )


def _trop_de_membres(nom):
    return ArchiveRefusee(
        gettext(
            "Le fichier « %(nom)s » contient plus de %(nombre)s fichiers internes : ce n'est pas "
            "un document ordinaire, il est refusé."
        )
        % {"nom": nom, "nombre": MEMBRES_MAX}
    )


def _nombre_de_signatures(flux):
    """Combien de fois la signature d'une entrée du répertoire central figure dans le fichier,
    lu par morceaux (une signature à cheval sur deux morceaux compte une fois)."""
    flux.seek(0)
    nombre, fin_du_precedent = 0, b""
    while morceau := flux.read(TAILLE_D_UN_MORCEAU):
        fenetre = fin_du_precedent + morceau
        nombre += fenetre.count(SIGNATURE_DU_REPERTOIRE_CENTRAL)
        fin_du_precedent = fenetre[-(len(SIGNATURE_DU_REPERTOIRE_CENTRAL) - 1) :]
    flux.seek(0)
    return nombre


def _verifier_ce_qui_est_declare(membres, nom):
    if len(membres) > MEMBRES_MAX:
        raise _trop_de_membres(nom)
    if any(membre.compress_type not in METHODES_ACCEPTEES for membre in membres):
        raise ArchiveIllisible(gettext("méthode de compression inhabituelle"))
    if sum(membre.file_size for membre in membres) > TAILLE_DECOMPRESSEE_MAX:
        raise _trop_decompresse(nom)
    for membre in membres:
        if (
            membre.file_size > TAUX_VERIFIE_AU_DELA_DE
            and membre.file_size > TAUX_DE_COMPRESSION_MAX * max(membre.compress_size, 1)
        ):
            raise ArchiveRefusee(
                gettext(
                    "Le fichier « %(nom)s » contient un élément compressé plus de %(taux)s fois, "
                    "ce que ne fait aucun document ordinaire : il est refusé."
                )
                % {"nom": nom, "taux": TAUX_DE_COMPRESSION_MAX}
            )


def _decompresser_en_comptant(archive, membres, nom):
    restant = TAILLE_DECOMPRESSEE_MAX
    for membre in membres:
        # zipfile ne rend jamais plus que la taille déclarée : on lui en fait déclarer une plus
        # grande que ce qui reste permis, pour voir ce que le flux produit vraiment, et l'on
        # vérifie soi-même la somme de contrôle (celle de zipfile échouerait à la borne, avant
        # que l'on ne sache qu'elle est franchie ; si elle était faite malgré tout, l'archive
        # serait refusée comme illisible, toujours sans dépasser la borne).
        lecture = copy.copy(membre)
        lecture.file_size = restant + 1
        lecture.CRC = None
        produits, somme = 0, 0
        with archive.open(lecture) as contenu:
            while morceau := contenu.read(TAILLE_D_UN_MORCEAU):
                produits += len(morceau)
                if produits > restant:
                    raise _trop_decompresse(nom)
                somme = zlib.crc32(morceau, somme)
        if produits != membre.file_size or somme != membre.CRC:
            raise ArchiveIllisible(
                gettext("%(nom)s ne correspond pas à ce qu'annonce l'archive")
                % {"nom": membre.filename}
            )
        restant -= produits


def verifier_archive_zip(flux, *, nom):
    """Vérifie, sans jamais garder plus d'un morceau en mémoire, qu'une archive zip déposée
    reste dans les bornes. `flux` : un fichier ouvert en binaire, relu depuis le début, et
    laissé au début. `nom` : le nom du fichier, pour les messages.

    Lève `ArchiveRefusee` (message à montrer) ou `ArchiveIllisible`.
    """
    try:
        if _nombre_de_signatures(flux) > MEMBRES_MAX:
            raise _trop_de_membres(nom)
        with zipfile.ZipFile(flux) as archive:
            membres = archive.infolist()
            _verifier_ce_qui_est_declare(membres, nom)
            _decompresser_en_comptant(archive, membres, nom)
    except ERREURS_DE_LECTURE as erreur:
        raise ArchiveIllisible(str(erreur)) from erreur
    finally:
        flux.seek(0)
