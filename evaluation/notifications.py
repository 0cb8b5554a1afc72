"""Les courriels du jury : la lettre de décision (PDF joint) et la promotion depuis la liste
d'attente, à chaque personne de la structure, envoyés au commit."""

from django.conf import settings
from django.urls import reverse

from evaluation import lettres
from messagerie.services import preparer_message


def _a_la_structure(candidature, *, gabarit, contexte, pieces_jointes=(), cle=None):
    lien = settings.SITE_URL + reverse("candidatures:candidature", args=[candidature.pk])
    for membre in candidature.structure.membres.filter(is_active=True).order_by("email"):
        preparer_message(
            type_message=gabarit,
            destinataire=membre.email,
            utilisateur=membre,
            gabarit=gabarit,
            objet=candidature,
            contexte={"candidature": candidature, "lien": lien, **contexte},
            pieces_jointes=pieces_jointes,
            cle=f"{cle}:{membre.pk}" if cle else None,
        )


def decision_publiee(candidature, decision, *, pdf):
    """`pdf` : la lettre gardée sur la décision, jointe telle quelle."""
    _a_la_structure(
        candidature,
        gabarit="decision_jury",
        contexte={"decision": decision},
        pieces_jointes=[(lettres.nom_lettre(candidature), pdf, "application/pdf")],
        cle=f"decision_jury:{candidature.pk}",
    )


def promotion_liste_attente(candidature, *, motif, pdf):
    """`pdf` : la nouvelle lettre de décision gardée sur la décision, jointe telle quelle."""
    _a_la_structure(
        candidature,
        gabarit="promotion_liste_attente",
        contexte={"motif": motif},
        pieces_jointes=[(lettres.nom_lettre(candidature), pdf, "application/pdf")],
        cle=f"promotion_liste_attente:{candidature.pk}",
    )


def laureat_retire(candidature, *, motif, suivante):
    """Aux gestionnaires du programme : un lauréat est retiré, voici la suivante de la liste
    d'attente (ou aucune) et la page pour la retenir."""
    adresse = reverse("evaluation:gestion_liste_attente", args=[candidature.appel_id])
    lien = settings.SITE_URL + adresse
    gestionnaires = candidature.appel.programme.gestionnaires.filter(is_active=True)
    for gestionnaire in gestionnaires.order_by("email"):
        preparer_message(
            type_message="laureat_retire",
            destinataire=gestionnaire.email,
            utilisateur=gestionnaire,
            gabarit="laureat_retire",
            objet=candidature,
            contexte={
                "candidature": candidature,
                "motif": motif,
                "suivante": suivante,
                "lien": lien,
            },
            cle=f"laureat_retire:{candidature.pk}:{gestionnaire.pk}",
        )
