import pytest
from django.utils import timezone

from comptes import services as comptes_services
from comptes.models import Invitation
from messagerie.models import Message
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import UtilisateurFactory


@pytest.fixture
def taches_immediates(settings):
    from aap.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")


@pytest.fixture
def invitations_qui_expirent_demain(gestionnaire):
    """Crée n invitations non acceptées qui expirent demain à midi (heure de Paris)."""

    programmes = {}

    def creer(nombre=1, par=None):
        demain_midi = (timezone.localtime() + timezone.timedelta(days=1)).replace(
            hour=12, minute=0, second=0, microsecond=0
        )
        inviteur = par or gestionnaire
        if inviteur.pk not in programmes:
            programmes[inviteur.pk] = ProgrammeFactory(gestionnaires=[inviteur])
        programme = programmes[inviteur.pk]
        invitations = []
        for numero in range(nombre):
            invitation, _ = comptes_services.inviter(
                email=f"invite{numero}@exemple.test",
                role="coach",
                programme=programme,
                par=inviteur,
            )
            invitations.append(invitation)
        Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(expire_le=demain_midi)
        # Seules les relances comptent dans ces tests : on oublie les courriels d'invitation.
        Message.objects.filter(type="invitation").delete()
        return invitations

    return creer
