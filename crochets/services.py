"""Les écritures des webhooks : les abonnements d'un programme (par ses gestionnaires,
journalisés) et l'émission des événements par les services métier (`signaler`).

Un événement crée une livraison par webhook actif qui le suit, dans la transaction de
l'action ; son envoi est mis en file au commit (rien ne part pour une action annulée, et la
requête de la personne n'attend jamais l'appel HTTP)."""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crochets import tasks
from crochets.adresses import verifier_adresse
from crochets.evenements import EVENEMENTS_ABONNABLES, CodeEvenement, charge_utile
from crochets.models import Abonnement, EtatLivraison, Livraison, nouveau_secret
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.perimetre import id_programme_de
from noyau.taches import publier_au_commit
from noyau.transitions import exiger

REFUS = gettext_lazy("Les webhooks d'un programme se gèrent par ses gestionnaires.")
PERMISSION = "crochets.gerer_webhooks"


# --- Émission -------------------------------------------------------------------------------


def _filtre_des_programmes(programme_id):
    if isinstance(programme_id, int):
        return {"programme_id": programme_id}
    return {"programme_id__in": programme_id}


def _livrer(abonnement, code, charge):
    livraison = Livraison.objects.create(
        abonnement=abonnement,
        evenement=code,
        charge_utile=charge,
        prochaine_tentative=timezone.now(),
    )
    publier_au_commit(tasks.livrer, livraison_id=livraison.pk)
    return livraison


def signaler(code, objet, *, programme_id=None):
    """L'événement `code` est arrivé à `objet` : une livraison par webhook actif de son
    programme qui le suit, envoyée au commit. À appeler dans la transaction de l'action, après
    la transition. `programme_id` : le programme, quand l'objet n'en relève pas d'un seul (une
    structure) ; un identifiant, une liste ou une requête d'identifiants (une seule requête en
    base quand aucun webhook n'existe). Renvoie les livraisons créées."""
    code = CodeEvenement(code)
    if programme_id is None:
        programme_id = id_programme_de(objet)
        if programme_id is None:
            return []
    abonnements = [
        abonnement
        for abonnement in Abonnement.objects.filter(
            actif=True, **_filtre_des_programmes(programme_id)
        )
        if abonnement.suit(code)
    ]
    if not abonnements:
        return []
    identifiant, date = uuid.uuid4(), timezone.now()
    return [
        _livrer(
            abonnement,
            code,
            charge_utile(
                code,
                objet,
                programme_id=abonnement.programme_id,
                identifiant=identifiant,
                date=date,
            ),
        )
        for abonnement in abonnements
    ]


# --- Abonnements ----------------------------------------------------------------------------


def _evenements_choisis(evenements):
    choisis = [str(code) for code in EVENEMENTS_ABONNABLES if code in set(evenements or ())]
    inconnus = set(evenements or ()) - set(choisis)
    if inconnus or not choisis:
        raise DonneesRefusees(_("Choisissez au moins un événement parmi ceux proposés."))
    return choisis


def _url(url):
    url = (url or "").strip()
    verifier_adresse(url)
    return url


def creer_abonnement(programme, *, par, url, evenements, actif=True):
    """Un webhook du programme, avec son secret ; l'adresse est vérifiée (https, publique)."""
    exiger(par, PERMISSION, programme, REFUS)
    url, evenements = _url(url), _evenements_choisis(evenements)
    with transaction.atomic():
        abonnement = Abonnement.objects.create(
            programme=programme, url=url, evenements=evenements, actif=actif, cree_par=par
        )
        journaliser(
            TypeEvenement.WEBHOOK_CREE,
            cible=programme,
            acteur=par,
            donnees={"webhook": abonnement.pk, "url": url, "evenements": evenements},
        )
    return abonnement


def modifier_abonnement(abonnement, *, par, url, evenements, actif):
    """Change l'adresse, les événements suivis ou l'activation ; journalise ce qui change.

    Une adresse inchangée n'est pas revérifiée : désactiver le webhook d'un partenaire dont le
    nom ne répond plus doit rester possible (l'envoi, lui, revérifie toujours l'adresse)."""
    exiger(par, PERMISSION, abonnement, REFUS)
    url = (url or "").strip()
    if url != abonnement.url:
        url = _url(url)
    evenements = _evenements_choisis(evenements)
    with transaction.atomic():
        abonnement = Abonnement.objects.select_for_update().get(pk=abonnement.pk)
        nouveau = {"url": url, "evenements": evenements, "actif": bool(actif)}
        changes = {
            champ: valeur
            for champ, valeur in nouveau.items()
            if getattr(abonnement, champ) != valeur
        }
        if not changes:
            return abonnement
        for champ, valeur in changes.items():
            setattr(abonnement, champ, valeur)
        abonnement.modifie_le = timezone.now()
        abonnement.save(update_fields=[*changes, "modifie_le"])
        journaliser(
            TypeEvenement.WEBHOOK_MODIFIE,
            cible=abonnement.programme,
            acteur=par,
            donnees={"webhook": abonnement.pk, **changes},
        )
    return abonnement


def regenerer_secret(abonnement, *, par):
    """Un nouveau secret : les livraisons suivantes (tentatives en cours comprises) sont
    signées avec lui. Journalisé, sans le secret."""
    exiger(par, PERMISSION, abonnement, REFUS)
    with transaction.atomic():
        abonnement = Abonnement.objects.select_for_update().get(pk=abonnement.pk)
        abonnement.secret = nouveau_secret()
        abonnement.secret_change_le = abonnement.modifie_le = timezone.now()
        abonnement.save(update_fields=["secret", "secret_change_le", "modifie_le"])
        journaliser(
            TypeEvenement.WEBHOOK_SECRET_REGENERE,
            cible=abonnement.programme,
            acteur=par,
            donnees={"webhook": abonnement.pk},
        )
    return abonnement


def supprimer_abonnement(abonnement, *, par):
    """Efface le webhook et son journal de livraisons ; le journal du programme garde qu'il a
    existé (adresse, événements)."""
    exiger(par, PERMISSION, abonnement, REFUS)
    with transaction.atomic():
        abonnement = Abonnement.objects.select_for_update().filter(pk=abonnement.pk).first()
        if abonnement is None:
            raise ActionImpossible(_("Ce webhook est déjà supprimé."))
        journaliser(
            TypeEvenement.WEBHOOK_SUPPRIME,
            cible=abonnement.programme,
            acteur=par,
            donnees={
                "webhook": abonnement.pk,
                "url": abonnement.url,
                "evenements": abonnement.evenements,
                "livraisons": abonnement.livraisons.count(),
            },
        )
        abonnement.delete()


def envoyer_test(abonnement, *, par):
    """Un événement « ping » pour ce webhook seul (même désactivé : on l'essaie avant de
    l'activer), envoyé au commit."""
    exiger(par, PERMISSION, abonnement, REFUS)
    with transaction.atomic():
        charge = charge_utile(
            CodeEvenement.PING, abonnement.programme, programme_id=abonnement.programme_id
        )
        return _livrer(abonnement, CodeEvenement.PING, charge)


def renvoyer(livraison, *, par):
    """Une nouvelle livraison de la même charge utile (même événement, même identifiant
    d'événement), avec un nouvel identifiant de livraison et ses propres tentatives ; celle
    d'origine reste telle quelle dans le journal. Journalisé."""
    exiger(par, PERMISSION, livraison, REFUS)
    with transaction.atomic():
        abonnement = Abonnement.objects.select_for_update().get(pk=livraison.abonnement_id)
        if not abonnement.actif and livraison.evenement != CodeEvenement.PING:
            raise ActionImpossible(_("Ce webhook est désactivé : activez-le avant de renvoyer."))
        if livraison.etat == EtatLivraison.EN_ATTENTE:
            raise ActionImpossible(
                _("Cette livraison est encore en cours : ses tentatives ne sont pas finies.")
            )
        nouvelle = _livrer(abonnement, livraison.evenement, livraison.charge_utile)
        nouvelle.renvoi_de = livraison
        nouvelle.save(update_fields=["renvoi_de"])
        journaliser(
            TypeEvenement.WEBHOOK_LIVRAISON_RENVOYEE,
            cible=abonnement.programme,
            acteur=par,
            donnees={
                "webhook": abonnement.pk,
                "livraison": str(livraison.identifiant),
                "nouvelle_livraison": str(nouvelle.identifiant),
                "evenement": livraison.evenement,
            },
        )
    return nouvelle
