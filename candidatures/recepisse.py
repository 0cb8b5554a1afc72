"""Le récépissé de dépôt en PDF (WeasyPrint) : appel, structure, date et heure du dépôt,
réponses et noms des pièces jointes. Joint au courriel de confirmation et téléchargeable."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from candidatures.selectors import pieces_lisibles, reponses_lisibles
from messagerie.catalogue import piece_a_produire


def nom_de_fichier(candidature):
    return f"recepisse-{candidature.reference}.pdf"


def html(candidature):
    return render_to_string(
        "candidatures/recepisse.html",
        {
            "candidature": candidature,
            "reponses": reponses_lisibles(candidature),
            "pieces": pieces_lisibles(candidature),
            "edite_le": timezone.now(),
        },
    )


def generer_pdf(candidature):
    return HTML(string=html(candidature)).write_pdf()


@piece_a_produire
def piece_jointe(candidature):
    """Le récépissé en pièce jointe d'un courriel : (nom, contenu, type MIME)."""
    return nom_de_fichier(candidature), generer_pdf(candidature), "application/pdf"
