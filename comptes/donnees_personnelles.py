"""Droits d'accès et d'effacement (RGPD) d'une structure candidate sur son propre compte.

L'export rassemble ce que Relais garde sur la personne ; la suppression anonymise le compte au
lieu d'effacer sa ligne : le journal (journal.Evenement.acteur, django_fsm_log StateLog.by) et
les candidatures déposées restent des pièces du programme, qui désignent désormais un compte
sans nom ni adresse.

Où une adresse de la personne peut se trouver, et ce que la suppression en fait :

- le compte (comptes.Utilisateur) : adresse anonyme, prénom et nom vidés ;
- ses adresses allauth (account.EmailAddress, et leurs confirmations) : supprimées ;
- les traces de connexion de django-axes (tentatives, connexions, échecs) : supprimées ;
- la boîte d'envoi (messagerie.Message) : un courriel qui lui était adressé et n'est pas
  parti (à envoyer, en échec) est supprimé, avec son historique d'états ; un courriel parti
  (ou en cours d'envoi) garde sa ligne, preuve qu'un envoi a eu lieu et quand, mais perd son
  destinataire (adresse anonyme), son corps, sa dernière erreur et ses pièces jointes ; dans
  les courriels adressés à d'autres, son nom complet devient « un compte supprimé » ;
- les invitations qu'elle a reçues (comptes.Invitation, candidatures.InvitationStructure) :
  adresse anonyme, et celles encore ouvertes expirent ;
- le contact d'une structure dont elle était la personne à contacter : vidé ;
- tout autre texte qui cite son adresse (motifs et données du journal, descriptions de
  l'historique des états, réponses des candidatures, sièges de jury, référents, journal de
  l'administration…) : l'adresse y est remplacée par l'adresse anonyme. Ce balayage parcourt
  toutes les colonnes de texte de tous les modèles : une table ajoutée plus tard est couverte
  sans qu'on y pense.

Ce qui reste : le nom d'un référent formé que la structure a saisi (accompagnement.Referent,
fiche de l'équipe de la structure, comptée au bilan) et le contenu des pièces jointes
(binaires) des courriels adressés à d'autres.
"""

import re

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django_fsm_log.models import StateLog

from comptes.models import Invitation
from journal.enums import TypeEvenement
from journal.models import Evenement
from journal.services import journaliser
from messagerie.enums import EtatMessage
from messagerie.models import Message, PieceJointe
from noyau.roles import Role
from relances.models import PreferencesRelances, Relance

CORPS_EFFACE = "Contenu effacé : le compte destinataire a été supprimé à sa demande."
NOM_EFFACE = "un compte supprimé"
CHAMPS_DE_TEXTE = (models.CharField, models.TextField, models.JSONField)


class SuppressionRefusee(Exception):
    """Le compte ne peut pas être supprimé par la personne elle-même ; le message dit pourquoi."""


def _date(valeur):
    return valeur.isoformat() if valeur else None


def adresse_anonyme(utilisateur):
    return f"supprime-{utilisateur.pk}@invalid"


def adresses_de(utilisateur):
    """Toutes les adresses de la personne, en minuscules : celle de connexion et celles
    qu'elle a ajoutées."""
    adresses = {utilisateur.email.lower()}
    adresses.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=utilisateur).values_list("email", flat=True)
    )
    return adresses


def _une_des(champ, adresses, *, lookup="iexact"):
    condition = Q(pk__in=[])
    for adresse in adresses:
        condition |= Q(**{f"{champ}__{lookup}": adresse})
    return condition


def _colonnes_de_texte():
    """(modèle, champ) pour chaque colonne de texte (CharField, TextField, JSONField et leurs
    dérivés : EmailField, SlugField…) de chaque modèle de la base."""
    for modele in apps.get_models():
        if modele._meta.proxy or not modele._meta.managed:
            continue
        for champ in modele._meta.concrete_fields:
            if isinstance(champ, CHAMPS_DE_TEXTE):
                yield modele, champ


def mentions(adresses, *, sauf=()):
    """Les lignes de la base dont une colonne de texte cite l'une des adresses (sans tenir
    compte de la casse) : (modèle, champ, clé primaire, valeur). `sauf` : des modèles à ne pas
    parcourir."""
    for modele, champ in _colonnes_de_texte():
        if modele in sauf:
            continue
        lignes = modele._base_manager.filter(
            _une_des(champ.attname, adresses, lookup="icontains")
        ).values_list("pk", champ.attname)
        for cle, valeur in lignes:
            yield modele, champ, cle, valeur


def _remplacer(valeur, motif, remplacement):
    """Remplace le motif dans une valeur de texte ou JSON (clés et valeurs des dictionnaires,
    éléments des listes)."""
    if isinstance(valeur, str):
        return motif.sub(remplacement, valeur)
    if isinstance(valeur, list):
        return [_remplacer(element, motif, remplacement) for element in valeur]
    if isinstance(valeur, dict):
        return {
            _remplacer(cle, motif, remplacement): _remplacer(element, motif, remplacement)
            for cle, element in valeur.items()
        }
    return valeur


def _motif_des(adresses):
    return re.compile(
        "|".join(re.escape(adresse) for adresse in sorted(adresses, key=len, reverse=True)),
        re.IGNORECASE,
    )


def _remplacer_partout(adresses, remplacement):
    """Remplace les adresses par `remplacement` dans toutes les colonnes de texte de la base.
    Renvoie le nombre de valeurs réécrites."""
    motif = _motif_des(adresses)
    reecrites = 0
    for modele, champ, cle, valeur in list(mentions(adresses)):
        nouvelle = _remplacer(valeur, motif, remplacement)
        if isinstance(nouvelle, str) and champ.max_length:
            nouvelle = nouvelle[: champ.max_length]
        if nouvelle != valeur:
            modele._base_manager.filter(pk=cle).update(**{champ.attname: nouvelle})
            reecrites += 1
    return reecrites


# --- Export -----------------------------------------------------------------------------------


# Les modèles que l'export présente dans une rubrique à eux ; les autres lignes qui citent une
# adresse de la personne sont seulement signalées (table, colonne, ligne) dans
# « autres_mentions » : elles peuvent porter ce que d'autres ont écrit (notes du jury, notes
# internes) que la structure ne doit pas lire, et le gestionnaire du programme en répond.
def _modeles_presentes():
    from accompagnement.models import Referent
    from candidatures.models import InvitationStructure, Structure
    from evaluation.models import MembreJury

    return {
        get_user_model(),
        EmailAddress,
        Message,
        Invitation,
        InvitationStructure,
        Structure,
        Evenement,
        StateLog,
        AccessAttempt,
        AccessLog,
        AccessFailureLog,
        MembreJury,
        Referent,
    }


def _etat_invitation(invitation, maintenant):
    if invitation.est_acceptee:
        return "acceptée"
    return "expirée" if invitation.est_expiree(maintenant) else "en attente"


def exporter_donnees(utilisateur, *, maintenant=None):
    """Les données personnelles du compte, en dictionnaire prêt pour JSON.

    Journalise « données personnelles exportées ».
    """
    from accompagnement.models import Referent
    from candidatures.models import Candidature, InvitationStructure, MembreStructure, Structure
    from evaluation.models import MembreJury

    maintenant = maintenant or timezone.now()
    adresses = adresses_de(utilisateur)
    adhesions = MembreStructure.objects.filter(utilisateur=utilisateur).select_related(
        "structure__commune"
    )
    candidatures = (
        Candidature.objects.filter(structure__adhesions__utilisateur=utilisateur)
        .select_related("appel", "structure")
        .order_by("creee_le")
    )
    type_compte = ContentType.objects.get_for_model(utilisateur)
    donnees = {
        "genere_le": _date(maintenant),
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
        "contact_de_structures": [
            {
                "structure": s.nom,
                "nom": s.contact_nom,
                "fonction": s.contact_fonction,
                "adresse_electronique": s.contact_email,
                "telephone": s.contact_telephone,
            }
            for s in Structure.objects.filter(_une_des("contact_email", adresses)).order_by("nom")
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
                "etat": m.etat,
                "corps": m.corps_texte,
            }
            for m in Message.objects.filter(
                Q(utilisateur=utilisateur) | _une_des("destinataire", adresses)
            ).order_by("cree_le", "pk")
        ],
        "relances": [
            {"type": r.type_code, "creee_le": _date(r.creee_le), "etat": r.etat}
            for r in Relance.objects.filter(destinataire=utilisateur).order_by("creee_le", "pk")
        ],
        "relances_desactivees": list(
            PreferencesRelances.objects.filter(utilisateur=utilisateur).values_list(
                "types_desactives", flat=True
            )
        ),
        "invitations_recues": [
            {
                "adresse": i.email,
                "role": str(i.get_role_display()),
                "programme": i.programme.nom if i.programme else None,
                "envoyee_le": _date(i.creee_le),
                "etat": _etat_invitation(i, maintenant),
            }
            for i in Invitation.objects.filter(
                Q(compte_cree=utilisateur) | _une_des("email", adresses)
            )
            .select_related("programme")
            .order_by("creee_le", "pk")
        ]
        + [
            {
                "adresse": i.email,
                "structure": i.structure.nom,
                "envoyee_le": _date(i.creee_le),
                "etat": _etat_invitation(i, maintenant),
            }
            for i in InvitationStructure.objects.filter(
                Q(acceptee_par=utilisateur) | _une_des("email", adresses)
            )
            .select_related("structure")
            .order_by("creee_le", "pk")
        ],
        "invitations_envoyees": [
            {
                "adresse": i.email,
                "structure": i.structure.nom,
                "envoyee_le": _date(i.creee_le),
                "etat": _etat_invitation(i, maintenant),
            }
            for i in InvitationStructure.objects.filter(invitee_par=utilisateur)
            .select_related("structure")
            .order_by("creee_le", "pk")
        ],
        "sieges_de_jury": [
            {"appel": m.jury.appel.titre, "adresse": m.email}
            for m in MembreJury.objects.filter(
                Q(utilisateur=utilisateur) | _une_des("email", adresses)
            )
            .select_related("jury__appel")
            .order_by("pk")
        ],
        "referent_de_structures": [
            {
                "structure": r.structure.nom,
                "prenom": r.prenom,
                "nom": r.nom,
                "fonction": r.fonction,
                "adresse": r.email,
            }
            for r in Referent.objects.filter(_une_des("email", adresses))
            .select_related("structure")
            .order_by("pk")
        ],
        "journal": [
            {"evenement": str(e.libelle), "survenu_le": _date(e.survenu_le), "motif": e.motif}
            for e in Evenement.objects.filter(acteur=utilisateur).order_by("survenu_le", "pk")
        ],
        "journal_me_concernant": [
            {
                "evenement": str(e.libelle),
                "survenu_le": _date(e.survenu_le),
                "motif": e.motif,
                "donnees": e.donnees,
            }
            for e in Evenement.objects.filter(
                (Q(cible_type=type_compte) & Q(cible_id=utilisateur.pk))
                | _une_des("motif", adresses, lookup="icontains")
                | _une_des("donnees", adresses, lookup="icontains")
            )
            .exclude(acteur=utilisateur)
            .order_by("survenu_le", "pk")
        ],
        "historique_des_etats": [
            {
                "objet": f"{s.content_type.name} n° {s.object_id}",
                "transition": s.transition,
                "de": s.source_state,
                "vers": s.state,
                "le": _date(s.timestamp),
                "motif": s.description,
            }
            for s in StateLog.objects.filter(
                Q(by=utilisateur) | _une_des("description", adresses, lookup="icontains")
            )
            .select_related("content_type")
            .order_by("timestamp", "pk")
        ],
        "connexions": [
            {"le": _date(c.attempt_time), "adresse_ip": c.ip_address}
            for c in AccessLog.objects.filter(_une_des("username", adresses)).order_by(
                "attempt_time"
            )
        ],
        "connexions_refusees": [
            {
                "le": _date(t.attempt_time),
                "adresse_ip": t.ip_address,
                "echecs": t.failures_since_start,
            }
            for t in AccessAttempt.objects.filter(_une_des("username", adresses))
        ]
        + [
            {"le": _date(t.attempt_time), "adresse_ip": t.ip_address, "echecs": 1}
            for t in AccessFailureLog.objects.filter(_une_des("username", adresses)).order_by(
                "attempt_time"
            )
        ],
        "autres_mentions": [
            {"table": modele._meta.label_lower, "colonne": champ.name, "ligne": cle}
            for modele, champ, cle, _valeur in mentions(adresses, sauf=_modeles_presentes())
        ],
    }
    journaliser(TypeEvenement.DONNEES_EXPORTEES, cible=utilisateur, acteur=utilisateur)
    return donnees


# --- Suppression ------------------------------------------------------------------------------


def verifier_suppression_possible(utilisateur):
    """Seul un compte de structure candidate se supprime lui-même : les autres rôles portent
    des décisions (jury, gestion, accompagnement) et passent par un gestionnaire."""
    autres_roles = utilisateur.roles - {Role.CANDIDAT}
    if utilisateur.is_staff or utilisateur.is_superuser or autres_roles:
        raise SuppressionRefusee(
            gettext(
                "Ce compte a un rôle dans le programme (gestion, jury, accompagnement ou "
                "observation) : demandez sa suppression au gestionnaire du programme."
            )
        )


def _effacer_les_courriels(utilisateur, adresses, nouvelle_adresse, nom_complet):
    """Les courriels adressés à la personne : supprimés s'ils ne sont pas partis, vidés
    sinon ; son nom retiré des courriels adressés à d'autres."""
    recus = Message.objects.filter(Q(utilisateur=utilisateur) | _une_des("destinataire", adresses))
    pas_partis = recus.filter(etat__in=[EtatMessage.A_ENVOYER, EtatMessage.ECHEC])
    ids_pas_partis = list(pas_partis.values_list("pk", flat=True))
    StateLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Message), object_id__in=ids_pas_partis
    ).delete()
    Message.objects.filter(pk__in=ids_pas_partis).delete()
    PieceJointe.objects.filter(message__in=recus).delete()
    recus.update(
        destinataire=nouvelle_adresse,
        corps_texte=CORPS_EFFACE,
        corps_html="",
        derniere_erreur="",
        pieces_a_produire=[],
    )
    if nom_complet:
        motif = re.compile(re.escape(nom_complet), re.IGNORECASE)
        for champ in ("sujet", "corps_texte", "corps_html"):
            for cle, valeur in Message.objects.filter(
                **{f"{champ}__icontains": nom_complet}
            ).values_list("pk", champ):
                Message.objects.filter(pk=cle).update(**{champ: motif.sub(NOM_EFFACE, valeur)})


def supprimer_compte(utilisateur):
    """Anonymise le compte d'une structure candidate, à sa demande.

    Change : adresse en « supprime-<id>@invalid », prénom et nom vidés, mot de passe
    inutilisable (les sessions ouvertes tombent), compte inactif, rôles retirés ; supprime les
    adresses allauth, la double authentification, les préférences de relance, l'appartenance
    aux structures et les traces de connexion de django-axes ; efface les courriels qui lui
    étaient adressés (voir le début du module) ; ferme les invitations qui lui étaient
    adressées ; vide le contact des structures dont elle était la personne à contacter ;
    remplace ses adresses dans toutes les colonnes de texte de la base. Garde : les lignes du
    journal et de l'historique des états, qui désignent le même compte anonyme, et les
    candidatures de la structure. Journalise « compte supprimé ».
    """
    from candidatures.models import InvitationStructure, MembreStructure, Structure

    verifier_suppression_possible(utilisateur)
    Utilisateur = get_user_model()
    with transaction.atomic():
        utilisateur = Utilisateur.objects.select_for_update().get(pk=utilisateur.pk)
        adresses = adresses_de(utilisateur)
        nom_complet = (
            utilisateur.get_full_name()
            if utilisateur.first_name.strip() and utilisateur.last_name.strip()
            else ""
        )
        nouvelle_adresse = adresse_anonyme(utilisateur)

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
        for modele in (AccessAttempt, AccessLog, AccessFailureLog):
            modele.objects.filter(_une_des("username", adresses)).delete()
        _effacer_les_courriels(utilisateur, adresses, nouvelle_adresse, nom_complet)
        maintenant = timezone.now()
        for modele in (Invitation, InvitationStructure):
            modele.objects.filter(_une_des("email", adresses), acceptee_le__isnull=True).filter(
                expire_le__gt=maintenant
            ).update(expire_le=maintenant)
        Structure.objects.filter(_une_des("contact_email", adresses)).update(
            contact_nom="", contact_fonction="", contact_email="", contact_telephone=""
        )
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Utilisateur),
            object_id=str(utilisateur.pk),
        ).update(object_repr=str(utilisateur))
        _remplacer_partout(adresses, nouvelle_adresse)

        journaliser(TypeEvenement.COMPTE_ANONYMISE, cible=utilisateur, acteur=utilisateur)
    return utilisateur
