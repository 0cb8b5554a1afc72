"""La double authentification des comptes qui voient tout : gestionnaires, membres du personnel
(administration) et superutilisateurs (toute la boîte d'envoi, liens de réinitialisation
compris).

Ce qui compte n'est pas qu'une application (TOTP) soit enregistrée, mais que CETTE session ait
saisi un de ses codes : allauth note chaque étape d'authentification de la session
(`get_authentication_records`), une saisie de code y figure avec la méthode « mfa ». Lire ces
notes ne coûte aucune requête : une session qui a passé le code n'en fait aucune de plus.
"""

from allauth.account.authentication import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver

from noyau.roles import Role, a_le_role

METHODE_SECOND_FACTEUR = "mfa"


def session_a_passe_le_second_facteur(request):
    """Vrai si un code (application ou code de secours) a été saisi dans cette session par
    l'utilisateur connecté."""
    return any(
        note.get("method") == METHODE_SECOND_FACTEUR
        for note in get_authentication_records(request, request.user)
    )


def est_privilegie(utilisateur):
    """Gestionnaire, membre du personnel ou superutilisateur. Les deux drapeaux se lisent sur
    l'utilisateur déjà chargé, le rôle aussi (copié sur sa ligne) : aucune requête."""
    if utilisateur.is_staff or utilisateur.is_superuser:
        return True
    return a_le_role(utilisateur, Role.GESTIONNAIRE)


def a_une_application(utilisateur):
    return Authenticator.objects.filter(user=utilisateur, type=Authenticator.Type.TOTP).exists()


def _session_de(request, utilisateur):
    return (
        request is not None
        and getattr(request, "user", None) is not None
        and request.user.is_authenticated
        and request.user.pk == utilisateur.pk
    )


@receiver(authenticator_added, dispatch_uid="comptes_activation_vaut_second_facteur")
def activation_vaut_second_facteur(sender, request, user, authenticator, **kwargs):
    """Activer l'application, c'est y lire un code et le saisir juste : la session qui vient de
    le faire a passé le second facteur (sinon elle devrait attendre le code suivant pour voir
    ses codes de secours)."""
    if authenticator.type == Authenticator.Type.TOTP and _session_de(request, user):
        record_authentication(
            request, user, METHODE_SECOND_FACTEUR, id=authenticator.pk, type=authenticator.type
        )


@receiver(authenticator_removed, dispatch_uid="comptes_retrait_annule_second_facteur")
def retrait_annule_second_facteur(sender, request, user, authenticator, **kwargs):
    """Une application retirée n'authentifie plus la session : un compte privilégié est alors
    renvoyé vers l'activation dès la page suivante."""
    if authenticator.type == Authenticator.Type.TOTP and _session_de(request, user):
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            note
            for note in get_authentication_records(request, user)
            if note.get("method") != METHODE_SECOND_FACTEUR
        ]
