"""Les structures candidates : leur profil, les collègues qui agissent pour elles, les
invitations à les rejoindre."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures import notifications
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.perimetre import oublier_droits_en_cache
from noyau.roles import Role
from noyau.transitions import exiger
from structures.models import InvitationStructure, MembreStructure, Structure


def creer_structure(*, par, **champs):
    """Crée le profil d'une structure ; son auteur en devient membre responsable. Journalisé."""
    exiger(par, "candidatures.creer_structure", None)
    with transaction.atomic():
        structure = Structure(**champs)
        structure.full_clean()
        structure.save()
        MembreStructure.objects.create(structure=structure, utilisateur=par, est_responsable=True)
        journaliser(TypeEvenement.STRUCTURE_CREEE, cible=structure, acteur=par)
    oublier_droits_en_cache(par)
    return structure


def modifier_structure(structure, *, par, champs):
    with transaction.atomic():
        structure = Structure.objects.select_for_update().get(pk=structure.pk)
        exiger(par, "candidatures.modifier_structure", structure)
        changes = sorted(nom for nom, valeur in champs.items() if getattr(structure, nom) != valeur)
        for nom, valeur in champs.items():
            setattr(structure, nom, valeur)
        structure.full_clean()
        structure.save()
        if changes:
            journaliser(
                TypeEvenement.STRUCTURE_MODIFIEE,
                cible=structure,
                acteur=par,
                donnees={"champs": changes},
            )
    return structure


def inviter_dans_structure(structure, *, email, par):
    """Crée une invitation à usage unique et met le courriel qui la porte dans la boîte
    d'envoi. Par une personne responsable de la structure, ou un gestionnaire d'un programme
    où elle a candidaté. Journalisé. Renvoie (invitation, jeton en clair)."""
    exiger(
        par,
        "candidatures.inviter_dans_structure",
        structure,
        _(
            "Seule une personne responsable de la structure, ou le gestionnaire d'un programme "
            "auquel elle a candidaté, y invite quelqu'un."
        ),
    )
    email = get_user_model().objects.normalize_email(email).lower()
    if structure.membres.filter(email__iexact=email).exists():
        raise DonneesRefusees(
            _("%(email)s agit déjà pour %(nom)s.") % {"email": email, "nom": structure.nom}
        )
    jeton, empreinte = InvitationStructure.nouveau_jeton()
    with transaction.atomic():
        invitation = InvitationStructure.objects.create(
            structure=structure,
            email=email,
            empreinte_jeton=empreinte,
            invitee_par=par,
            expire_le=timezone.now() + timezone.timedelta(days=settings.INVITATION_DUREE_JOURS),
        )
        journaliser(TypeEvenement.MEMBRE_STRUCTURE_INVITE, cible=structure, acteur=par, motif=email)
        notifications.invitation_dans_structure(invitation, jeton)
    return invitation, jeton


def trouver_invitation_structure(jeton):
    invitation = InvitationStructure.objects.par_jeton(jeton).select_related("structure").first()
    if invitation is None:
        raise ActionImpossible(_("Ce lien d'invitation n'est pas valable."))
    if invitation.est_acceptee:
        raise ActionImpossible(
            _("Cette invitation a déjà servi. Connectez-vous avec le compte qui l'a acceptée.")
        )
    if invitation.est_expiree():
        raise ActionImpossible(
            _("Cette invitation a expiré : demandez-en une nouvelle à votre collègue.")
        )
    return invitation


def accepter_invitation_structure(jeton, *, utilisateur=None, prenom="", nom="", mot_de_passe=""):
    """Rattache à la structure le compte connecté, ou crée le compte de la personne invitée
    (adresse vérifiée par le lien reçu, rôle « structure candidate »). Une structure sans
    personne responsable (son seul compte supprimé) en trouve une : la personne qui arrive.
    Journalisé."""
    Utilisateur = get_user_model()
    with transaction.atomic():
        invitation = trouver_invitation_structure(jeton)
        invitation = InvitationStructure.objects.select_for_update().get(pk=invitation.pk)
        if invitation.est_acceptee:
            raise ActionImpossible(_("Cette invitation a déjà servi."))
        if utilisateur is None:
            if Utilisateur.objects.filter(email__iexact=invitation.email).exists():
                raise ActionImpossible(
                    _(
                        "Un compte existe déjà pour cette adresse : connectez-vous, puis "
                        "rouvrez le lien de l'invitation."
                    )
                )
            utilisateur = Utilisateur.objects.create_user(
                email=invitation.email, password=mot_de_passe, first_name=prenom, last_name=nom
            )
            EmailAddress.objects.create(
                user=utilisateur, email=invitation.email, verified=True, primary=True
            )
        elif utilisateur.email.lower() != invitation.email.lower():
            raise ActionNonPermise(
                _(
                    "Cette invitation est adressée à %(email)s : connectez-vous avec ce compte "
                    "pour l'accepter."
                )
                % {"email": invitation.email}
            )
        utilisateur.groups.add(Group.objects.get_or_create(name=Role.CANDIDAT)[0])
        sans_responsable = not MembreStructure.objects.filter(
            structure=invitation.structure, est_responsable=True
        ).exists()
        MembreStructure.objects.get_or_create(
            structure=invitation.structure,
            utilisateur=utilisateur,
            defaults={"est_responsable": sans_responsable},
        )
        invitation.acceptee_le = timezone.now()
        invitation.acceptee_par = utilisateur
        invitation.save(update_fields=["acceptee_le", "acceptee_par"])
        journaliser(
            TypeEvenement.MEMBRE_STRUCTURE_AJOUTE,
            cible=invitation.structure,
            acteur=utilisateur,
            motif=utilisateur.email,
        )
    oublier_droits_en_cache(utilisateur)
    return utilisateur, invitation.structure
