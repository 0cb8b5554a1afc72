"""Invitations : un gestionnaire invite un membre du jury, un coach ou un autre gestionnaire
dans un programme qu'il gère ; le lien, à usage unique, expire.

Deux parcours à l'ouverture du lien : une adresse sans compte crée son compte (le lien prouve
l'adresse) ; une adresse qui a déjà un compte ne crée rien et ne connecte personne : la
personne se connecte avec son propre mot de passe (et sa double authentification), puis
accepte le rôle avec ce compte-là.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from comptes.models import Invitation
from comptes.notifications import INVITATION
from journal.enums import TypeEvenement
from journal.services import journaliser
from messagerie.services import preparer_courriel
from noyau.perimetre import geres_par, oublier_droits_en_cache
from noyau.roles import ROLES_SUR_INVITATION, Role, a_le_role

# Un rôle qui vaut pour tous les programmes à la fois (l'observateur lit tous les bilans) :
# aucun gestionnaire ne le donne, seule l'administration de la plateforme.
ROLES_DE_LA_PLATEFORME = {Role.OBSERVATEUR}


class InvitationInvalide(Exception):
    """L'invitation ne peut pas être acceptée ; le message dit pourquoi, dans la langue active."""


class CompteExistant(InvitationInvalide):
    """L'adresse invitée a déjà un compte : on s'y connecte, on n'en crée pas un second."""


class InvitationRefusee(Exception):
    """Action interdite à cette personne (403) ; le message dit pourquoi, dans la langue active."""


def _administre_la_plateforme(utilisateur):
    return utilisateur.is_authenticated and utilisateur.is_active and utilisateur.is_superuser


def _programmes():
    """Le modèle des programmes, lu sur la clé de l'invitation : les comptes n'importent pas
    l'application des programmes, qui est au-dessus d'eux."""
    return Invitation._meta.get_field("programme").related_model


def programmes_ou_inviter(utilisateur):
    """Les programmes dans lesquels cette personne peut inviter : ceux qu'elle gère (tous pour
    l'administration de la plateforme)."""
    Programme = _programmes()
    if _administre_la_plateforme(utilisateur):
        return Programme.objects.all()
    if not a_le_role(utilisateur, Role.GESTIONNAIRE):
        return Programme.objects.none()
    return Programme.objects.filter(geres_par(Programme, utilisateur))


def roles_a_donner(utilisateur):
    """Les rôles que cette personne peut donner par invitation."""
    if _administre_la_plateforme(utilisateur):
        return list(ROLES_SUR_INVITATION)
    return [role for role in ROLES_SUR_INVITATION if role not in ROLES_DE_LA_PLATEFORME]


def verifier_droit_d_inviter(par, *, role, programme):
    """Lève InvitationRefusee si `par` ne peut pas donner ce rôle dans ce programme."""
    if role not in {r.value for r in ROLES_SUR_INVITATION}:
        raise InvitationRefusee(_("Ce rôle ne se donne pas par invitation."))
    if role not in {r.value for r in roles_a_donner(par)}:
        raise InvitationRefusee(
            _("Ce rôle vaut pour tous les programmes : seule l'administration de Relais le donne.")
        )
    if role in ROLES_DE_LA_PLATEFORME:
        return
    if programme is None:
        raise InvitationRefusee(_("Une invitation se fait pour un programme : choisissez-le."))
    if not programmes_ou_inviter(par).filter(pk=programme.pk).exists():
        raise InvitationRefusee(
            _("Vous ne gérez pas ce programme : vous ne pouvez pas y inviter quelqu'un.")
        )


def invitations_visibles_par(utilisateur):
    """Les invitations des programmes de cette personne et celles qu'elle a envoyées."""
    invitations = Invitation.objects.select_related("invitee_par", "programme")
    if _administre_la_plateforme(utilisateur):
        return invitations
    return invitations.filter(
        Q(programme__in=programmes_ou_inviter(utilisateur)) | Q(invitee_par=utilisateur)
    )


def inviter(*, email, role, programme, par):
    """Crée une invitation et met le courriel qui la porte dans la boîte d'envoi.

    Refuse (InvitationRefusee) un programme que `par` ne gère pas et un rôle de toute la
    plateforme donné par un gestionnaire. Journalise « invitation envoyée ». Renvoie
    (invitation, jeton en clair) ; le jeton n'est écrit nulle part ailleurs que dans le courriel.
    """
    if role in ROLES_DE_LA_PLATEFORME:
        programme = None
    verifier_droit_d_inviter(par, role=role, programme=programme)
    role = Role(role)
    email = get_user_model().objects.normalize_email(email).lower()
    jeton, empreinte = Invitation.nouveau_jeton()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            programme=programme,
            empreinte_jeton=empreinte,
            invitee_par=par,
            expire_le=timezone.now() + timezone.timedelta(days=settings.INVITATION_DUREE_JOURS),
        )
        journaliser(
            TypeEvenement.INVITATION_ENVOYEE,
            cible=invitation,
            acteur=par,
            donnees={"role": role.value, "programme": programme.pk if programme else None},
        )
        preparer_courriel(
            INVITATION,
            destinataire=email,
            contexte={
                "invitation": invitation,
                "role": role.label,
                "programme": programme,
                "lien": settings.SITE_URL + reverse("invitation_accepter", args=[jeton]),
                "par": par,
            },
            objet=invitation,
        )
    return invitation, jeton


def compte_de_l_adresse(email):
    """Le compte qui répond à cette adresse (son adresse de connexion, ou une adresse
    vérifiée qu'il a ajoutée), ou None."""
    Utilisateur = get_user_model()
    compte = Utilisateur.objects.filter(email__iexact=email).first()
    if compte is None:
        adresse = (
            EmailAddress.objects.filter(email__iexact=email, verified=True)
            .select_related("user")
            .first()
        )
        compte = adresse.user if adresse else None
    return compte


def trouver_invitation(jeton, *, maintenant=None):
    """L'invitation valable de ce jeton, ou InvitationInvalide avec la raison."""
    invitation = Invitation.objects.par_jeton(jeton).select_related("programme").first()
    if invitation is None:
        raise InvitationInvalide(_("Ce lien d'invitation n'est pas valable."))
    if invitation.est_acceptee:
        raise InvitationInvalide(
            _(
                "Cette invitation a déjà été utilisée. Connectez-vous avec le compte qui l'a "
                "acceptée, ou demandez une nouvelle invitation au gestionnaire du programme."
            )
        )
    if invitation.est_expiree(maintenant):
        raise InvitationInvalide(
            _("Cette invitation a expiré. Demandez-en une nouvelle au gestionnaire du programme.")
        )
    return invitation


def _verrouiller(jeton):
    invitation = trouver_invitation(jeton)
    # `of=("self",)` : PostgreSQL refuse de verrouiller le côté facultatif d'une jointure
    # (le programme peut manquer) ; seule l'invitation a besoin du verrou.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("invitee_par", "programme")
        .get(pk=invitation.pk)
    )
    if invitation.est_acceptee:
        raise InvitationInvalide(_("Cette invitation a déjà été utilisée."))
    try:
        # Le droit est relu à l'acceptation : un gestionnaire retiré du programme entre-temps
        # ne fait plus entrer personne.
        verifier_droit_d_inviter(
            invitation.invitee_par, role=invitation.role, programme=invitation.programme
        )
    except InvitationRefusee as refus:
        raise InvitationInvalide(
            _(
                "Cette invitation n'est plus valable : la personne qui l'a envoyée ne peut plus "
                "donner ce rôle dans ce programme. Demandez-en une nouvelle au gestionnaire."
            )
        ) from refus
    return invitation


def _donner_le_role(invitation, utilisateur, *, compte_existant):
    """Le rôle de l'invitation, dans son programme ; l'invitation close et journalisée."""
    utilisateur.groups.add(Group.objects.get_or_create(name=invitation.role)[0])
    if invitation.role == Role.GESTIONNAIRE and invitation.programme is not None:
        invitation.programme.gestionnaires.add(utilisateur)
    invitation.acceptee_le = timezone.now()
    invitation.compte_cree = utilisateur
    invitation.save(update_fields=["acceptee_le", "compte_cree"])
    journaliser(
        TypeEvenement.INVITATION_ACCEPTEE,
        cible=invitation,
        acteur=utilisateur,
        donnees={
            "role": invitation.role,
            "programme": invitation.programme_id,
            "compte_existant": compte_existant,
        },
    )
    oublier_droits_en_cache(utilisateur)


def creer_compte_sur_invitation(jeton, *, prenom, nom, mot_de_passe, langue=None):
    """Crée le compte d'une adresse qui n'en a pas encore, dans le rôle et le programme de
    l'invitation (adresse vérifiée par le lien reçu), et clôt l'invitation.

    Ne touche jamais un compte existant : si l'adresse en a un, lève CompteExistant (la
    personne doit se connecter avec son mot de passe pour accepter). Le jeton est relu sous
    verrou : deux clics simultanés ne créent qu'un compte. Journalise « invitation acceptée ».
    `langue` : celle de l'interface où la personne crée son compte (par défaut, celle du site).
    Renvoie le compte créé.
    """
    Utilisateur = get_user_model()
    with transaction.atomic():
        invitation = _verrouiller(jeton)
        if compte_de_l_adresse(invitation.email) is not None:
            raise CompteExistant(
                _(
                    "Un compte existe déjà pour cette adresse : connectez-vous avec votre mot de "
                    "passe pour accepter l'invitation."
                )
            )
        utilisateur = Utilisateur.objects.create_user(
            email=invitation.email,
            password=mot_de_passe,
            first_name=prenom,
            last_name=nom,
            langue=langue or settings.LANGUAGE_CODE,
        )
        EmailAddress.objects.create(
            user=utilisateur, email=invitation.email, verified=True, primary=True
        )
        _donner_le_role(invitation, utilisateur, compte_existant=False)
    return utilisateur


def verifier_compte_invite(invitation, utilisateur):
    """Lève InvitationRefusee si `utilisateur` n'est pas le compte de l'adresse invitée."""
    compte = compte_de_l_adresse(invitation.email)
    if compte is None or compte.pk != utilisateur.pk:
        raise InvitationRefusee(
            _(
                "Cette invitation est adressée à %(email)s, pas au compte avec lequel "
                "vous êtes connecté·e. Déconnectez-vous, puis connectez-vous avec le compte de "
                "cette adresse pour l'accepter."
            )
            % {"email": invitation.email}
        )


def accepter_invitation(jeton, *, utilisateur):
    """Donne à un compte existant, connecté, le rôle de l'invitation adressée à son adresse.

    Refuse (InvitationRefusee) tout autre compte que celui de l'adresse invitée : rien ne
    change alors. Ne modifie ni le mot de passe, ni le nom, ni les adresses du compte.
    Journalise « invitation acceptée ». Renvoie l'invitation acceptée.
    """
    if not utilisateur.is_authenticated or not utilisateur.is_active:
        raise InvitationRefusee(_("Connectez-vous pour accepter cette invitation."))
    with transaction.atomic():
        invitation = _verrouiller(jeton)
        verifier_compte_invite(invitation, utilisateur)
        _donner_le_role(invitation, utilisateur, compte_existant=True)
    return invitation
