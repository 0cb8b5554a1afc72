"""Invitations : un gestionnaire invite un membre du jury, un coach, un observateur ou un
autre gestionnaire ; le lien, à usage unique, expire."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from comptes.models import Invitation
from journal.enums import TypeEvenement
from journal.services import journaliser
from messagerie.services import preparer_message


class InvitationInvalide(Exception):
    """L'invitation ne peut pas être acceptée ; le message dit pourquoi, en français."""


def inviter(*, email, role, par):
    """Crée une invitation et met le courriel qui la porte dans la boîte d'envoi.

    Journalise « invitation envoyée ». Renvoie (invitation, jeton en clair) ; le jeton n'est
    écrit nulle part ailleurs que dans le courriel.
    """
    email = get_user_model().objects.normalize_email(email).lower()
    jeton, empreinte = Invitation.nouveau_jeton()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            empreinte_jeton=empreinte,
            invitee_par=par,
            expire_le=timezone.now() + timezone.timedelta(days=settings.INVITATION_DUREE_JOURS),
        )
        journaliser(TypeEvenement.INVITATION_ENVOYEE, cible=invitation, acteur=par)
        preparer_message(
            type_message="invitation",
            destinataire=email,
            gabarit="invitation",
            contexte={
                "invitation": invitation,
                "role": Role(role).label,
                "lien": settings.SITE_URL + reverse("invitation_accepter", args=[jeton]),
                "par": par,
            },
            objet=invitation,
        )
    return invitation, jeton


def trouver_invitation(jeton, *, maintenant=None):
    """L'invitation valable de ce jeton, ou InvitationInvalide avec la raison."""
    invitation = Invitation.objects.par_jeton(jeton).first()
    if invitation is None:
        raise InvitationInvalide("Ce lien d'invitation n'est pas valable.")
    if invitation.est_acceptee:
        raise InvitationInvalide(
            "Cette invitation a déjà été utilisée. Connectez-vous avec le compte créé, "
            "ou demandez une nouvelle invitation au gestionnaire du programme."
        )
    if invitation.est_expiree(maintenant):
        raise InvitationInvalide(
            "Cette invitation a expiré. Demandez-en une nouvelle au gestionnaire du programme."
        )
    return invitation


def accepter_invitation(jeton, *, prenom, nom, mot_de_passe):
    """Crée le compte dans le rôle de l'invitation (adresse déjà vérifiée) et clôt l'invitation.

    Le jeton est relu sous verrou : deux clics simultanés ne créent qu'un compte.
    Journalise « invitation acceptée ». Renvoie l'utilisateur créé ou rattaché.
    """
    Utilisateur = get_user_model()
    with transaction.atomic():
        invitation = trouver_invitation(jeton)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.est_acceptee:
            raise InvitationInvalide("Cette invitation a déjà été utilisée.")
        utilisateur = Utilisateur.objects.filter(email__iexact=invitation.email).first()
        if utilisateur is None:
            utilisateur = Utilisateur.objects.create_user(
                email=invitation.email, password=mot_de_passe, first_name=prenom, last_name=nom
            )
        groupe, _ = Group.objects.get_or_create(name=invitation.role)
        utilisateur.groups.add(groupe)
        EmailAddress.objects.update_or_create(
            user=utilisateur,
            email=invitation.email,
            defaults={"verified": True, "primary": True},
        )
        invitation.acceptee_le = timezone.now()
        invitation.compte_cree = utilisateur
        invitation.save(update_fields=["acceptee_le", "compte_cree"])
        journaliser(TypeEvenement.INVITATION_ACCEPTEE, cible=invitation, acteur=utilisateur)
    return utilisateur
