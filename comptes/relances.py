"""Relance du gestionnaire dont une invitation n'a pas été acceptée et expire bientôt."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptes.models import Invitation
from relances.registre import TypeRelance, enregistrer


def _invitations_qui_expirent(maintenant, fenetre):
    return (
        Invitation.objects.filter(
            fenetre.filtre_moment("expire_le"),
            acceptee_le__isnull=True,
            expire_le__gt=maintenant,
        )
        .select_related("invitee_par")
        .order_by("pk")
    )


INVITATION_SANS_REPONSE = enregistrer(
    TypeRelance(
        code="invitation_sans_reponse",
        libelle=_("Invitation pas encore acceptée, qui expire bientôt"),
        gabarit="relances/invitation_sans_reponse",
        objets=_invitations_qui_expirent,
        date_reference=lambda invitation: timezone.localdate(invitation.expire_le),
        destinataires=lambda invitation: (
            [invitation.invitee_par] if invitation.invitee_par.is_active else []
        ),
        decalages=(-1,),
        contexte=lambda invitation: {"invitation": invitation},
    )
)
