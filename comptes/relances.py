"""Relance du gestionnaire dont une invitation n'a pas été acceptée et expire bientôt."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptes.models import Invitation
from messagerie.catalogue import Categorie, Courriel, Echeance, declarer


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


INVITATION_SANS_REPONSE = declarer(
    Courriel(
        code="invitation_sans_reponse",
        libelle=_("Invitation pas encore acceptée, qui expire bientôt"),
        declencheur=Echeance(
            objets=_invitations_qui_expirent,
            date_reference=lambda invitation: timezone.localdate(invitation.expire_le),
            decalages=(-1,),
        ),
        categorie=Categorie.INVITATION,
        destinataires=lambda invitation: (
            [invitation.invitee_par] if invitation.invitee_par.is_active else []
        ),
        gabarit="relances/invitation_sans_reponse",
        contexte=lambda invitation: {"invitation": invitation},
    )
)
