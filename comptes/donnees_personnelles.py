"""Droits d'accès et d'effacement (RGPD) d'une structure candidate sur son propre compte.

L'export rassemble ce que Relais garde sur la personne ; la suppression anonymise le compte au
lieu d'effacer sa ligne : le journal (journal.Evenement.acteur, django_fsm_log StateLog.by) et
les candidatures déposées restent des pièces du programme, qui désignent désormais un compte
sans nom ni adresse.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from comptes.enums import Role
from comptes.models import Invitation
from journal.enums import TypeEvenement
from journal.models import Evenement
from journal.services import journaliser
from messagerie.models import Message
from relances.models import PreferencesRelances


class SuppressionRefusee(Exception):
    """Le compte ne peut pas être supprimé par la personne elle-même ; le message dit pourquoi."""


def _date(valeur):
    return valeur.isoformat() if valeur else None


def adresse_anonyme(utilisateur):
    return f"supprime-{utilisateur.pk}@invalid"


def exporter_donnees(utilisateur, *, maintenant=None):
    """Les données personnelles du compte, en dictionnaire prêt pour JSON.

    Journalise « données personnelles exportées ».
    """
    from candidatures.models import Candidature, MembreStructure

    adhesions = MembreStructure.objects.filter(utilisateur=utilisateur).select_related(
        "structure__commune"
    )
    candidatures = (
        Candidature.objects.filter(structure__adhesions__utilisateur=utilisateur)
        .select_related("appel", "structure")
        .order_by("creee_le")
    )
    donnees = {
        "genere_le": _date(maintenant or timezone.now()),
        "compte": {
            "identifiant": utilisateur.pk,
            "adresse_electronique": utilisateur.email,
            "prenom": utilisateur.first_name,
            "nom": utilisateur.last_name,
            "inscrit_le": _date(utilisateur.date_joined),
            "derniere_connexion": _date(utilisateur.last_login),
            "roles": sorted(utilisateur.roles),
            "adresses": [
                {"adresse": a.email, "verifiee": a.verified, "principale": a.primary}
                for a in EmailAddress.objects.filter(user=utilisateur).order_by("email")
            ],
            # Le type seulement : le secret TOTP et les codes de secours ne sortent jamais.
            "double_authentification": sorted(
                Authenticator.objects.filter(user=utilisateur).values_list("type", flat=True)
            ),
        },
        "structures": [
            {
                "nom": a.structure.nom,
                "siret": a.structure.siret,
                "commune": str(a.structure.commune),
                "responsable": a.est_responsable,
                "membre_depuis": _date(a.ajoute_le),
                "contact": {
                    "nom": a.structure.contact_nom,
                    "fonction": a.structure.contact_fonction,
                    "adresse_electronique": a.structure.contact_email,
                    "telephone": a.structure.contact_telephone,
                },
            }
            for a in adhesions
        ],
        "candidatures": [
            {
                "appel": c.appel.titre,
                "structure": c.structure.nom,
                "etat": c.etat,
                "creee_le": _date(c.creee_le),
                "creee_par_moi": c.creee_par_id == utilisateur.pk,
                "deposee_le": _date(c.deposee_le),
            }
            for c in candidatures
        ],
        "messages_recus": [
            {
                "type": m.type,
                "sujet": m.sujet,
                "destinataire": m.destinataire,
                "cree_le": _date(m.cree_le),
                "envoye_le": _date(m.envoye_le),
            }
            for m in Message.objects.filter(utilisateur=utilisateur).order_by("cree_le")
        ],
        "relances_desactivees": list(
            PreferencesRelances.objects.filter(utilisateur=utilisateur).values_list(
                "types_desactives", flat=True
            )
        ),
        "journal": [
            {"evenement": e.libelle, "survenu_le": _date(e.survenu_le), "motif": e.motif}
            for e in Evenement.objects.filter(acteur=utilisateur).order_by("survenu_le", "pk")
        ],
        "connexions": [
            {"le": _date(c.attempt_time), "adresse_ip": c.ip_address}
            for c in AccessLog.objects.filter(username=utilisateur.email.lower()).order_by(
                "attempt_time"
            )
        ],
        "connexions_refusees": [
            {
                "le": _date(t.attempt_time),
                "adresse_ip": t.ip_address,
                "echecs": t.failures_since_start,
            }
            for t in AccessAttempt.objects.filter(username=utilisateur.email.lower())
        ],
    }
    journaliser(TypeEvenement.DONNEES_EXPORTEES, cible=utilisateur, acteur=utilisateur)
    return donnees


def verifier_suppression_possible(utilisateur):
    """Seul un compte de structure candidate se supprime lui-même : les autres rôles portent
    des décisions (jury, gestion, accompagnement) et passent par un gestionnaire."""
    autres_roles = utilisateur.roles - {Role.CANDIDAT}
    if utilisateur.is_staff or utilisateur.is_superuser or autres_roles:
        raise SuppressionRefusee(
            "Ce compte a un rôle dans le programme (gestion, jury, accompagnement ou "
            "observation) : demandez sa suppression au gestionnaire du programme."
        )


def supprimer_compte(utilisateur):
    """Anonymise le compte d'une structure candidate, à sa demande.

    Change : adresse en « supprime-<id>@invalid », prénom et nom vidés, mot de passe
    inutilisable (les sessions ouvertes tombent), compte inactif, rôles retirés ; supprime les
    adresses allauth, la double authentification, les préférences de relance, l'appartenance
    aux structures et les traces de connexion de django-axes ; remplace l'adresse dans les
    messages reçus et dans les invitations. Garde : les lignes du journal et de l'historique
    des états, qui désignent le même compte anonyme, et les candidatures de la structure.
    Journalise « compte supprimé ». Ne supprime aucune ligne du compte lui-même.
    """
    from candidatures.models import MembreStructure

    verifier_suppression_possible(utilisateur)
    Utilisateur = get_user_model()
    with transaction.atomic():
        utilisateur = Utilisateur.objects.select_for_update().get(pk=utilisateur.pk)
        ancienne_adresse = utilisateur.email
        nouvelle_adresse = adresse_anonyme(utilisateur)
        identifiants = {ancienne_adresse, ancienne_adresse.lower()}

        utilisateur.email = nouvelle_adresse
        utilisateur.first_name = ""
        utilisateur.last_name = ""
        utilisateur.is_active = False
        utilisateur.set_unusable_password()
        utilisateur.save()
        utilisateur.groups.clear()

        EmailAddress.objects.filter(user=utilisateur).delete()
        Authenticator.objects.filter(user=utilisateur).delete()
        PreferencesRelances.objects.filter(utilisateur=utilisateur).delete()
        MembreStructure.objects.filter(utilisateur=utilisateur).delete()
        AccessAttempt.objects.filter(username__in=identifiants).delete()
        AccessLog.objects.filter(username__in=identifiants).delete()
        AccessFailureLog.objects.filter(username__in=identifiants).delete()
        Message.objects.filter(utilisateur=utilisateur).update(destinataire=nouvelle_adresse)
        Message.objects.filter(destinataire__iexact=ancienne_adresse).update(
            destinataire=nouvelle_adresse
        )
        Invitation.objects.filter(email__iexact=ancienne_adresse).update(email=nouvelle_adresse)

        journaliser(TypeEvenement.COMPTE_ANONYMISE, cible=utilisateur, acteur=utilisateur)
    return utilisateur
