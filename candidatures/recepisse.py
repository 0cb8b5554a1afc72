"""Le récépissé de dépôt en PDF (WeasyPrint) : appel, structure, date et heure du dépôt,
réponses et noms des pièces jointes. Joint au courriel de confirmation et téléchargeable.

Chaque dépôt garde le sien : le récépissé d'une version se lit dans la version (réponses,
formulaire, fichiers et structure de ce jour-là) ; celui de la candidature est celui de son
dernier dépôt. Une candidature déposée avant les versions se lit dans son état présent."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from candidatures.selectors import pieces_lisibles, reponses_lisibles
from candidatures.services.versions import structure_figee
from messagerie.catalogue import piece_a_produire
from territoires.enums import TypeStructure


def nom_de_fichier(candidature, version=None):
    if version is None:
        return f"recepisse-{candidature.reference}.pdf"
    return f"recepisse-{candidature.reference}-depot-{version.numero}.pdf"


def _derniere_version(candidature):
    return candidature.versions.order_by("-numero").first()


def html(candidature, version=None):
    """Le récépissé du dépôt `version`, par défaut le dernier."""
    version = version or _derniere_version(candidature)
    structure = dict(version.structure if version else structure_figee(candidature.structure))
    if structure.get("type") in TypeStructure.values:
        structure["type_libelle"] = TypeStructure(structure["type"]).label
    return render_to_string(
        "candidatures/recepisse.html",
        {
            "candidature": candidature,
            "version": version,
            "deposee_le": version.deposee_le if version else candidature.deposee_le,
            "structure": structure,
            "reponses": reponses_lisibles(candidature, version),
            "pieces": pieces_lisibles(candidature, version),
            "edite_le": timezone.now(),
        },
    )


def generer_pdf(candidature, version=None):
    return HTML(string=html(candidature, version)).write_pdf()


@piece_a_produire
def piece_jointe(candidature):
    """Le récépissé en pièce jointe d'un courriel : (nom, contenu, type MIME)."""
    return nom_de_fichier(candidature), generer_pdf(candidature), "application/pdf"
