"""L'attestation de présence d'un référent à une session de formation, en PDF (WeasyPrint).

Le nom du référent et la date de la session sont aussi dans les métadonnées du PDF (titre) :
un logiciel de GED les indexe sans lire la page."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from accompagnement.textes import ATTESTATION
from messagerie.modeles import texte_du_document
from noyau.perimetre import id_programme_de


def nom_de_fichier(emargement):
    return (
        f"attestation-{emargement.session.date:%Y-%m-%d}-"
        f"{emargement.referent.nom.lower().replace(' ', '-')}.pdf"
    )


def html(emargement):
    contexte = {
        "emargement": emargement,
        "session": emargement.session,
        "referent": emargement.referent,
        "editee_le": timezone.localdate(),
    }
    # Le texte écrit par le programme, s'il en a un, entre l'en-tête et le pied du code.
    contexte["texte_du_programme"] = texte_du_document(
        ATTESTATION.code, id_programme=id_programme_de(emargement.session), contexte=contexte
    )
    return render_to_string("accompagnement/attestation.html", contexte)


def generer_pdf(emargement):
    return HTML(string=html(emargement)).write_pdf()
