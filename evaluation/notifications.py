"""Les courriels du jury : la lettre de décision (PDF joint) et la promotion depuis la liste
d'attente, à chaque personne de la structure, envoyés au commit."""

from django.conf import settings
from django.urls import reverse

from evaluation import lettres
from evaluation.models import Jury
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


def decision_publiee(candidature, decision, *, ligne=None):
    jury = Jury.objects.filter(appel_id=candidature.appel_id).first()
    pdf = lettres.lettre_decision_pdf(candidature, decision, ligne=ligne, jury=jury)
    _a_la_structure(
        candidature,
        gabarit="decision_jury",
        contexte={"decision": decision},
        pieces_jointes=[(lettres.nom_lettre(candidature), pdf, "application/pdf")],
        cle=f"decision_jury:{candidature.pk}",
    )


def promotion_liste_attente(candidature, *, motif):
    _a_la_structure(
        candidature,
        gabarit="promotion_liste_attente",
        contexte={"motif": motif},
        cle=f"promotion_liste_attente:{candidature.pk}",
    )
