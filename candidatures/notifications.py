"""Les courriels des candidatures : un message par personne de la structure, rendu depuis
`templates/emails/<gabarit>/`, gardé dans la boîte d'envoi et envoyé au commit."""

from django.conf import settings
from django.urls import reverse

from candidatures import recepisse
from messagerie.services import preparer_message


def _membres(structure):
    return structure.membres.filter(is_active=True).order_by("email")


def _lien_candidature(candidature):
    return settings.SITE_URL + reverse("candidatures:candidature", args=[candidature.pk])


def _par_qui(utilisateur):
    if utilisateur is None:
        return "Relais"
    return utilisateur.get_full_name() or utilisateur.email


def _a_la_structure(candidature, *, gabarit, contexte=None, pieces_jointes=()):
    for membre in _membres(candidature.structure):
        preparer_message(
            type_message=gabarit,
            destinataire=membre.email,
            utilisateur=membre,
            gabarit=gabarit,
            objet=candidature,
            contexte={
                "candidature": candidature,
                "lien": _lien_candidature(candidature),
                **(contexte or {}),
            },
            pieces_jointes=pieces_jointes,
        )


def candidature_deposee(candidature, *, par, redepot=False):
    """La confirmation de dépôt, avec le récépissé PDF en pièce jointe."""
    pdf = recepisse.generer_pdf(candidature)
    _a_la_structure(
        candidature,
        gabarit="candidature_deposee",
        contexte={"redepot": redepot, "par_qui": _par_qui(par)},
        pieces_jointes=[(recepisse.nom_de_fichier(candidature), pdf, "application/pdf")],
    )


def complement_demande(candidature):
    _a_la_structure(candidature, gabarit="candidature_a_completer")


def candidature_irrecevable(candidature):
    _a_la_structure(candidature, gabarit="candidature_irrecevable")


def candidature_recevable(candidature):
    _a_la_structure(candidature, gabarit="candidature_recevable")


def invitation_dans_structure(invitation, jeton):
    preparer_message(
        type_message="invitation_structure",
        destinataire=invitation.email,
        gabarit="invitation_structure",
        objet=invitation,
        contexte={
            "invitation": invitation,
            "par_qui": _par_qui(invitation.invitee_par),
            "lien": settings.SITE_URL + reverse("candidatures:invitation_structure", args=[jeton]),
        },
    )
