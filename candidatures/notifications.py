"""Les courriels des candidatures : un message par personne de la structure, rendu depuis
`templates/emails/<gabarit>/`, gardé dans la boîte d'envoi et envoyé au commit."""

from django.conf import settings
from django.urls import reverse

from candidatures.enums import EtatCandidature
from messagerie.services import preparer_message


def _membres(structure):
    return structure.membres.filter(is_active=True).order_by("email")


def _lien_candidature(candidature):
    return settings.SITE_URL + reverse("candidatures:candidature", args=[candidature.pk])


def _par_qui(utilisateur):
    if utilisateur is None:
        return "Relais"
    return utilisateur.get_full_name() or utilisateur.email


def _a_la_structure(candidature, *, gabarit, contexte=None, pieces_a_produire=()):
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
            pieces_a_produire=pieces_a_produire,
        )


def candidature_deposee(candidature, *, par, redepot=False):
    """La confirmation de dépôt, avec le récépissé PDF en pièce jointe. Le PDF est calculé par
    le worker à l'envoi (`recepisse.piece_jointe`), pas dans la requête du dépôt : le jour de
    la date limite, c'était 85 % du temps de chaque dépôt, ligne verrouillée."""
    _a_la_structure(
        candidature,
        gabarit="candidature_deposee",
        contexte={"redepot": redepot, "par_qui": _par_qui(par)},
        pieces_a_produire=["candidatures.recepisse.piece_jointe"],
    )


def complement_demande(candidature):
    _a_la_structure(candidature, gabarit="candidature_a_completer")


def candidature_irrecevable(candidature):
    _a_la_structure(candidature, gabarit="candidature_irrecevable")


def candidature_recevable(candidature):
    _a_la_structure(candidature, gabarit="candidature_recevable")


def appel_rouvert(appel, *, reouverture):
    """Chaque structure qui a un brouillon sur l'appel rouvert apprend qu'elle peut de nouveau
    déposer, et jusqu'à quand. `reouverture` : la ligne du journal de la transition ; la clé
    (appel, réouverture, candidature, destinataire) fait qu'un second passage pour la même
    réouverture ne crée rien, alors qu'une réouverture ultérieure prévient de nouveau.
    Renvoie le nombre de structures prévenues (celles qui ont au moins un compte actif)."""
    brouillons = (
        appel.candidatures.filter(etat=EtatCandidature.BROUILLON)
        .select_related("structure")
        .order_by("pk")
    )
    prevenues = 0
    for candidature in brouillons:
        membres = list(_membres(candidature.structure))
        for membre in membres:
            preparer_message(
                type_message="appel_rouvert",
                destinataire=membre.email,
                utilisateur=membre,
                gabarit="appel_rouvert",
                objet=candidature,
                cle=f"appel_rouvert:{appel.pk}:{reouverture.pk}:{candidature.pk}:{membre.pk}",
                contexte={
                    "appel": appel,
                    "candidature": candidature,
                    "lien": _lien_candidature(candidature),
                },
            )
        prevenues += bool(membres)
    return prevenues


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
