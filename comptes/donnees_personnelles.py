"""Droits d'accès et d'effacement (RGPD) d'une structure candidate sur son propre compte.

L'export rassemble ce que Relais garde sur la personne ; la suppression anonymise le compte au
lieu d'effacer sa ligne : le journal (journal.Evenement.acteur, changements d'état compris) et
les candidatures déposées restent des pièces du programme, qui désignent désormais un compte
sans nom ni adresse.

Où une adresse de la personne peut se trouver, et ce que la suppression en fait :

- le compte (comptes.Utilisateur) : adresse anonyme, prénom et nom vidés ;
- ses adresses allauth (account.EmailAddress, et leurs confirmations) : supprimées ;
- les traces de connexion de django-axes (tentatives, connexions, échecs) : supprimées ;
- la boîte d'envoi (messagerie.Message) : un courriel qui lui était adressé et n'est pas
  parti (à envoyer, en échec) est supprimé, avec ses lignes du journal ; un courriel parti
  (ou en cours d'envoi) garde sa ligne, preuve qu'un envoi a eu lieu et quand, mais perd son
  destinataire (adresse anonyme), son corps, sa dernière erreur et ses pièces jointes ; dans
  les courriels adressés à d'autres, son nom complet devient « un compte supprimé » ;
- les listes figées des envois groupés (messagerie.EnvoiGroupe.destinataires) : sa ligne garde
  sa place (le compte des envois reste juste) mais perd son adresse et les valeurs de ses
  champs (prénom, nom…) ;
- les invitations qu'elle a reçues (comptes.Invitation, structures.InvitationStructure) :
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

Les applications au-dessus des comptes (candidatures, jury, accompagnement) déclarent ce
qu'elles gardent sur une personne avec `declarer(...)`, depuis leur module
`donnees_personnelles` chargé par leur `ready()` : leurs rubriques de l'export, leur part de
l'anonymisation et les modèles que ces rubriques présentent.
"""

import re
from dataclasses import dataclass, field

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

from comptes.models import Invitation
from journal.enums import TypeEvenement
from journal.models import Evenement
from journal.services import journaliser
from messagerie.enums import EtatMessage
from messagerie.models import EnvoiGroupe, Message, PieceJointe
from noyau.roles import Role
from relances.models import PreferencesRelances, Relance

CORPS_EFFACE = "Contenu effacé : le compte destinataire a été supprimé à sa demande."
NOM_EFFACE = "un compte supprimé"
CHAMPS_DE_TEXTE = (models.CharField, models.TextField, models.JSONField)


# L'ordre des rubriques de l'export (celles que les applications déclarent comprises) ; une
# rubrique qui n'y figure pas vient à la fin.
ORDRE_DES_RUBRIQUES = (
    "genere_le",
    "compte",
    "structures",
    "contact_de_structures",
    "candidatures",
    "messages_recus",
    "relances",
    "relances_desactivees",
    "invitations_recues",
    "invitations_envoyees",
    "sieges_de_jury",
    "referent_de_structures",
    "journal",
    "journal_me_concernant",
    "historique_des_etats",
    "connexions",
    "connexions_refusees",
    "autres_mentions",
)


@dataclass(frozen=True)
class Declaration:
    """Ce qu'une application garde sur une personne.

    `exporter(utilisateur, adresses, maintenant)` : ses rubriques de l'export, un dictionnaire
    nom → liste (une rubrique déjà présente est complétée) ; `anonymiser(utilisateur, adresses,
    maintenant)` : sa part de la suppression, dans la transaction, avant le remplacement des
    adresses dans toute la base ; `modeles` : les modèles que ses rubriques présentent (les
    autres lignes qui citent la personne ne sont que signalées).
    """

    exporter: object = None
    anonymiser: object = None
    modeles: tuple = field(default_factory=tuple)


_DECLARATIONS = {}


def declarer(nom, *, exporter=None, anonymiser=None, modeles=()):
    """Déclare (ou remplace, par son `nom`) la part d'une application."""
    _DECLARATIONS[nom] = Declaration(exporter=exporter, anonymiser=anonymiser, modeles=modeles)


def declarations():
    return list(_DECLARATIONS.values())


class SuppressionRefusee(Exception):
    """Le compte ne peut pas être supprimé par la personne elle-même ; le message dit pourquoi."""


def date_iso(valeur):
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


def une_des(champ, adresses, *, lookup="iexact"):
    """Une condition : `champ` vaut l'une des adresses (ou, selon `lookup`, la contient)."""
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
            une_des(champ.attname, adresses, lookup="icontains")
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
    modeles = {
        get_user_model(),
        EmailAddress,
        Message,
        Invitation,
        Evenement,
        AccessAttempt,
        AccessLog,
        AccessFailureLog,
    }
    for declaration in declarations():
        modeles.update(declaration.modeles)
    return modeles


def etat_invitation(invitation, maintenant):
    if invitation.est_acceptee:
        return "acceptée"
    return "expirée" if invitation.est_expiree(maintenant) else "en attente"


def exporter_donnees(utilisateur, *, maintenant=None):
    """Les données personnelles du compte, en dictionnaire prêt pour JSON.

    Journalise « données personnelles exportées ».
    """
    maintenant = maintenant or timezone.now()
    adresses = adresses_de(utilisateur)
    type_compte = ContentType.objects.get_for_model(utilisateur)
    donnees = {
        "genere_le": date_iso(maintenant),
        "compte": {
            "identifiant": utilisateur.pk,
            "adresse_electronique": utilisateur.email,
            "prenom": utilisateur.first_name,
            "nom": utilisateur.last_name,
            "inscrit_le": date_iso(utilisateur.date_joined),
            "derniere_connexion": date_iso(utilisateur.last_login),
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
        "messages_recus": [
            {
                "type": m.type,
                "sujet": m.sujet,
                "destinataire": m.destinataire,
                "cree_le": date_iso(m.cree_le),
                "envoye_le": date_iso(m.envoye_le),
                "etat": m.etat,
                "corps": m.corps_texte,
            }
            for m in Message.objects.filter(
                Q(utilisateur=utilisateur) | une_des("destinataire", adresses)
            ).order_by("cree_le", "pk")
        ],
        "relances": [
            {"type": r.type_code, "creee_le": date_iso(r.creee_le), "etat": r.etat}
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
                "envoyee_le": date_iso(i.creee_le),
                "etat": etat_invitation(i, maintenant),
            }
            for i in Invitation.objects.filter(
                Q(compte_cree=utilisateur) | une_des("email", adresses)
            )
            .select_related("programme")
            .order_by("creee_le", "pk")
        ],
        "journal": [
            {"evenement": str(e.libelle), "survenu_le": date_iso(e.survenu_le), "motif": e.motif}
            for e in Evenement.objects.exclude(type=TypeEvenement.CHANGEMENT_ETAT)
            .filter(acteur=utilisateur)
            .order_by("survenu_le", "pk")
        ],
        "journal_me_concernant": [
            {
                "evenement": str(e.libelle),
                "survenu_le": date_iso(e.survenu_le),
                "motif": e.motif,
                "donnees": e.donnees,
            }
            for e in Evenement.objects.exclude(type=TypeEvenement.CHANGEMENT_ETAT)
            .filter(
                (Q(cible_type=type_compte) & Q(cible_id=utilisateur.pk))
                | une_des("motif", adresses, lookup="icontains")
                | une_des("donnees", adresses, lookup="icontains")
            )
            .exclude(acteur=utilisateur)
            .order_by("survenu_le", "pk")
        ],
        "historique_des_etats": [
            {
                "objet": f"{e.cible_type.name} n° {e.cible_id}",
                "transition": e.transition,
                "de": e.depuis or None,
                "vers": e.vers,
                "le": date_iso(e.survenu_le),
                "motif": e.motif or None,
            }
            for e in Evenement.objects.changements_d_etat()
            .filter(Q(acteur=utilisateur) | une_des("motif", adresses, lookup="icontains"))
            .select_related("cible_type")
            .order_by("survenu_le", "pk")
        ],
        "connexions": [
            {"le": date_iso(c.attempt_time), "adresse_ip": c.ip_address}
            for c in AccessLog.objects.filter(une_des("username", adresses)).order_by(
                "attempt_time"
            )
        ],
        "connexions_refusees": [
            {
                "le": date_iso(t.attempt_time),
                "adresse_ip": t.ip_address,
                "echecs": t.failures_since_start,
            }
            for t in AccessAttempt.objects.filter(une_des("username", adresses))
        ]
        + [
            {"le": date_iso(t.attempt_time), "adresse_ip": t.ip_address, "echecs": 1}
            for t in AccessFailureLog.objects.filter(une_des("username", adresses)).order_by(
                "attempt_time"
            )
        ],
        "autres_mentions": [
            {"table": modele._meta.label_lower, "colonne": champ.name, "ligne": cle}
            for modele, champ, cle, _valeur in mentions(adresses, sauf=_modeles_presentes())
        ],
    }
    for declaration in declarations():
        if declaration.exporter is None:
            continue
        for rubrique, lignes in declaration.exporter(utilisateur, adresses, maintenant).items():
            donnees.setdefault(rubrique, []).extend(lignes)
    donnees = _dans_l_ordre(donnees)
    journaliser(TypeEvenement.DONNEES_EXPORTEES, cible=utilisateur, acteur=utilisateur)
    return donnees


def _dans_l_ordre(donnees):
    """Les rubriques dans l'ordre de ORDRE_DES_RUBRIQUES, les autres à la fin."""
    ordre = [rubrique for rubrique in ORDRE_DES_RUBRIQUES if rubrique in donnees]
    return {rubrique: donnees[rubrique] for rubrique in [*ordre, *donnees] if rubrique in donnees}


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
    recus = Message.objects.filter(Q(utilisateur=utilisateur) | une_des("destinataire", adresses))
    pas_partis = recus.filter(etat__in=[EtatMessage.A_ENVOYER, EtatMessage.ECHEC])
    ids_pas_partis = list(pas_partis.values_list("pk", flat=True))
    Evenement.objects.changements_d_etat().filter(
        cible_type=ContentType.objects.get_for_model(Message), cible_id__in=ids_pas_partis
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


def _effacer_des_envois_groupes(utilisateur, adresses, nouvelle_adresse):
    """Sa ligne dans les listes figées des envois groupés : adresse anonyme, valeurs vidées."""
    minuscules = {adresse.lower() for adresse in adresses}

    def est_elle(ligne):
        return ligne.get("utilisateur") == utilisateur.pk or (
            str(ligne.get("email", "")).lower() in minuscules
        )

    for envoi in EnvoiGroupe.objects.only("pk", "destinataires").iterator():
        if not any(est_elle(ligne) for ligne in envoi.destinataires):
            continue
        envoi.destinataires = [
            {**ligne, "email": nouvelle_adresse, "valeurs": {}} if est_elle(ligne) else ligne
            for ligne in envoi.destinataires
        ]
        EnvoiGroupe.objects.filter(pk=envoi.pk).update(destinataires=envoi.destinataires)


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
        for modele in (AccessAttempt, AccessLog, AccessFailureLog):
            modele.objects.filter(une_des("username", adresses)).delete()
        _effacer_les_courriels(utilisateur, adresses, nouvelle_adresse, nom_complet)
        _effacer_des_envois_groupes(utilisateur, adresses, nouvelle_adresse)
        maintenant = timezone.now()
        Invitation.objects.filter(une_des("email", adresses), acceptee_le__isnull=True).filter(
            expire_le__gt=maintenant
        ).update(expire_le=maintenant)
        for declaration in declarations():
            if declaration.anonymiser is not None:
                declaration.anonymiser(utilisateur, adresses, maintenant)
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Utilisateur),
            object_id=str(utilisateur.pk),
        ).update(object_repr=str(utilisateur))
        _remplacer_partout(adresses, nouvelle_adresse)

        journaliser(TypeEvenement.COMPTE_ANONYMISE, cible=utilisateur, acteur=utilisateur)
    return utilisateur
