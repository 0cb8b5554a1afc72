"""L'envoi d'une livraison : une tentative à la fois, signée, notée dans le journal des
livraisons, avec la suivante programmée (délais CROCHETS_DELAIS_DES_TENTATIVES) ou l'échec.

Une tentative se fait sous verrou de la ligne, pris sans attendre (`skip_locked`) : une tâche
en double, ou un rattrapage pendant l'envoi, ne trouve rien à faire ; une livraison réussie ou
échouée n'est plus jamais envoyée par une tâche."""

import json
import logging
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crochets.adresses import AdresseRefusee, verifier_adresse
from crochets.evenements import CodeEvenement
from crochets.models import EtatLivraison, Livraison
from crochets.signature import signer

logger = logging.getLogger(__name__)

DELAI_RESEAU = 5  # secondes pour se connecter, puis autant pour chaque lecture
AGENT = "Relais-webhooks/1"
LONGUEUR_ERREUR = 500
# Une tâche qui arrive un peu avant l'heure prévue de sa tentative la fait quand même.
MARGE = timedelta(seconds=5)
# Une livraison en attente dont la tentative aurait dû partir depuis ce délai est republiée.
DELAI_AVANT_REPUBLICATION = timedelta(minutes=2)


def corps_de(livraison):
    """Les octets envoyés : la charge utile en JSON compact (ceux que signe la signature)."""
    return json.dumps(livraison.charge_utile, ensure_ascii=False, separators=(",", ":")).encode()


def entetes_de(livraison, corps, horodatage):
    return {
        "Content-Type": "application/json",
        "User-Agent": AGENT,
        "X-Relais-Evenement": livraison.evenement,
        "X-Relais-Livraison": str(livraison.identifiant),
        "X-Relais-Signature": signer(livraison.abonnement.secret, corps, horodatage),
    }


def _envoyer(livraison):
    """POST de la livraison ; renvoie (statut HTTP ou None, durée en ms, erreur ou "")."""
    corps = corps_de(livraison)
    debut = time.monotonic()
    statut, erreur = None, ""
    try:
        verifier_adresse(livraison.abonnement.url)
        with requests.post(
            livraison.abonnement.url,
            data=corps,
            headers=entetes_de(livraison, corps, int(time.time())),
            timeout=(DELAI_RESEAU, DELAI_RESEAU),
            allow_redirects=False,
            stream=True,
        ) as reponse:
            statut = reponse.status_code
            if not 200 <= statut < 300:
                # Un extrait seulement : un récepteur ne fait pas lire au worker une réponse
                # sans fin.
                extrait = reponse.raw.read(LONGUEUR_ERREUR, decode_content=True)
                erreur = f"HTTP {statut} {reponse.reason or ''}".strip()
                texte = extrait.decode("utf-8", "replace").strip()
                if texte:
                    erreur += f" : {texte}"
    except AdresseRefusee as refus:
        erreur = refus.message
    except requests.RequestException as panne:
        erreur = f"{type(panne).__name__}: {panne}"
    duree = round((time.monotonic() - debut) * 1000)
    return statut, duree, erreur[:LONGUEUR_ERREUR]


def _noter(livraison, statut, duree, erreur, maintenant):
    """Enregistre la tentative ; renvoie le délai avant la suivante, ou None."""
    livraison.tentatives += 1
    livraison.dernier_statut_http = statut
    livraison.duree_ms = duree
    delai = None
    if statut is not None and 200 <= statut < 300:
        livraison.etat = EtatLivraison.REUSSIE
        livraison.livree_le = maintenant
        livraison.derniere_erreur = ""
        livraison.prochaine_tentative = None
    else:
        livraison.derniere_erreur = erreur
        delais = settings.CROCHETS_DELAIS_DES_TENTATIVES
        if livraison.tentatives <= len(delais):
            delai = delais[livraison.tentatives - 1]
            livraison.prochaine_tentative = maintenant + timedelta(seconds=delai)
        else:
            livraison.etat = EtatLivraison.ECHOUEE
            livraison.prochaine_tentative = None
    livraison.save(
        update_fields=[
            "tentatives",
            "dernier_statut_http",
            "duree_ms",
            "derniere_erreur",
            "etat",
            "livree_le",
            "prochaine_tentative",
        ]
    )
    return delai


def tenter(livraison_id):
    """Une tentative de la livraison, si elle est due ; renvoie le délai (secondes) avant la
    suivante, ou None s'il n'y en a pas (réussie, échouée, pas due, tenue par un autre)."""
    with transaction.atomic():
        livraison = (
            Livraison.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("abonnement")
            .filter(pk=livraison_id, etat=EtatLivraison.EN_ATTENTE)
            .first()
        )
        if livraison is None:
            return None
        maintenant = timezone.now()
        prevue = livraison.prochaine_tentative
        if prevue is not None and prevue > maintenant + MARGE:
            # Une tâche en double, arrivée avant l'heure : celle qui est programmée fera l'essai.
            return None
        if not livraison.abonnement.actif and livraison.evenement != CodeEvenement.PING:
            livraison.etat = EtatLivraison.ECHOUEE
            livraison.derniere_erreur = "Webhook désactivé avant l'envoi."
            livraison.prochaine_tentative = None
            livraison.save(update_fields=["etat", "derniere_erreur", "prochaine_tentative"])
            return None
        statut, duree, erreur = _envoyer(livraison)
        if erreur:
            logger.info("Livraison %s : tentative échouée (%s).", livraison.identifiant, erreur)
        return _noter(livraison, statut, duree, erreur, timezone.now())


def a_republier(*, maintenant=None):
    """Les livraisons en attente dont la tentative aurait dû partir depuis
    DELAI_AVANT_REPUBLICATION (tâche perdue : file injoignable, worker arrêté), verrouillées
    et repoussées à maintenant pour n'être republiées qu'une fois ; à appeler en transaction."""
    maintenant = maintenant or timezone.now()
    ids = list(
        Livraison.objects.select_for_update(skip_locked=True)
        .filter(
            etat=EtatLivraison.EN_ATTENTE,
            prochaine_tentative__lt=maintenant - DELAI_AVANT_REPUBLICATION,
        )
        .values_list("pk", flat=True)
    )
    Livraison.objects.filter(pk__in=ids).update(prochaine_tentative=maintenant)
    return ids
