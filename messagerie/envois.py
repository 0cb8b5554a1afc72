"""Les envois groupés : un message écrit une fois par un gestionnaire, envoyé à chaque
destinataire d'une liste (une audience, `messagerie.audiences`) par la boîte d'envoi."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from journal.enums import TypeEvenement
from journal.services import journaliser
from messagerie import services, tasks
from messagerie.audiences import Destinataire, sans_doublons
from messagerie.catalogue import lien_de_desabonnement, refuse_par
from messagerie.enums import EtatEnvoiGroupe
from messagerie.models import EnvoiGroupe, Message
from messagerie.notifications import ENVOI_GROUPE
from noyau.erreurs import DonneesRefusees
from noyau.gabarits_surs import rendre, verifier
from noyau.taches import publier_au_commit
from noyau.transitions import appliquer_transition, exiger

PERMISSION = "messagerie.envoyer_groupe"
TAILLE_DU_LOT = 50


class TexteRefuse(DonneesRefusees):
    """Un sujet ou un corps refusé : `champ` dit lequel, pour afficher le refus à côté."""

    def __init__(self, message, *, champ):
        super().__init__(message)
        self.champ = champ


def verifier_le_texte(audience, *, sujet, corps):
    """Refuse (TexteRefuse, en français) un sujet ou un corps vide, illisible ou qui nomme un
    champ que cette liste n'offre pas."""
    for champ, texte in (("sujet", sujet), ("corps", corps)):
        if not (texte or "").strip():
            raise TexteRefuse(gettext("Ce champ est obligatoire."), champ=champ)
        try:
            verifier(texte, audience.champs)
        except DonneesRefusees as refus:
            raise TexteRefuse(str(refus), champ=champ) from refus


@dataclass(frozen=True)
class Apercu:
    destinataire: Destinataire
    sujet: str
    corps: str


def apercu(audience, *, sujet, corps, rang=0):
    """Le message tel que le recevra le destinataire de ce rang (le premier par défaut)."""
    verifier_le_texte(audience, sujet=sujet, corps=corps)
    destinataires = sans_doublons(audience.destinataires)
    if not destinataires:
        raise DonneesRefusees(gettext("Cette liste n'a aucun destinataire."))
    destinataire = destinataires[rang if 0 <= rang < len(destinataires) else 0]
    return Apercu(
        destinataire=destinataire,
        sujet=rendre(sujet, destinataire.valeurs),
        corps=rendre(corps, destinataire.valeurs),
    )


def creer_envoi(audience, *, code, parametres, par, sujet, corps):
    """Enregistre l'envoi groupé (la liste figée, sans doublon d'adresse), le journalise une
    fois avec sa liste et son nombre de destinataires, et programme au commit la tâche qui
    prépare les messages. Refus : 403 hors des programmes gérés, 400 pour un texte refusé ou
    une liste vide."""
    exiger(
        par,
        PERMISSION,
        audience.programme,
        gettext("Seuls les gestionnaires du programme écrivent à cette liste."),
    )
    verifier_le_texte(audience, sujet=sujet, corps=corps)
    destinataires = sans_doublons(audience.destinataires)
    if not destinataires:
        raise DonneesRefusees(gettext("Cette liste n'a aucun destinataire."))
    with transaction.atomic():
        envoi = EnvoiGroupe.objects.create(
            programme=audience.programme,
            audience=code,
            parametres=parametres,
            description=audience.description[:500],
            adresse_de_la_liste=audience.adresse_de_la_liste,
            sujet=sujet,
            corps=corps,
            destinataires=[
                {
                    "email": d.email,
                    "utilisateur": getattr(d.utilisateur, "pk", None),
                    "valeurs": d.valeurs,
                }
                for d in destinataires
            ],
            total=len(destinataires),
            cree_par=par,
        )
        journaliser(
            TypeEvenement.ENVOI_GROUPE_CREE,
            cible=envoi,
            acteur=par,
            motif=envoi.description,
            donnees={"destinataires": envoi.total, "sujet": sujet},
        )
        publier_au_commit(tasks.preparer_envoi_groupe, envoi_id=envoi.pk)
    return envoi


def cle_du_message(envoi, email):
    return f"envoi-{envoi.pk}-{email.strip().lower()}"[:255]


def preparer_les_messages(envoi_id, *, taille_du_lot=TAILLE_DU_LOT):
    """Met dans la boîte d'envoi un message par destinataire de l'envoi, par lots, en tenant
    sa progression (traités / total, mis en envoi, ignorés parce que la personne a refusé ces
    messages dans ses préférences), puis le termine (journalisé).

    Idempotent : un message par clé `envoi-<pk>-<adresse>`, un envoi terminé n'est pas repris,
    et un envoi repris après une panne recompte depuis le début sans rien recréer. Les lots
    s'écrivent sous le verrou de l'envoi : deux tâches simultanées ne créent rien deux fois."""
    envoi = EnvoiGroupe.objects.filter(pk=envoi_id).first()
    if envoi is None or envoi.etat != EtatEnvoiGroupe.EN_COURS:
        return envoi
    destinataires = list(envoi.destinataires)
    comptes = _comptes(destinataires)
    mis_en_envoi = ignores = 0
    for debut in range(0, len(destinataires), taille_du_lot):
        lot = destinataires[debut : debut + taille_du_lot]
        with transaction.atomic():
            envoi = EnvoiGroupe.objects.select_for_update().get(pk=envoi_id)
            if envoi.etat != EtatEnvoiGroupe.EN_COURS:
                return envoi
            cles = [cle_du_message(envoi, d["email"]) for d in lot]
            deja = set(Message.objects.filter(cle__in=cles).values_list("cle", flat=True))
            nouveaux = []
            for destinataire, cle in zip(lot, cles, strict=True):
                utilisateur = comptes.get(destinataire["utilisateur"])
                if refuse_par(utilisateur, ENVOI_GROUPE):
                    ignores += 1
                    continue
                mis_en_envoi += 1
                if cle not in deja:
                    nouveaux.append(_message(envoi, destinataire, utilisateur, cle))
            services.deposer_lot(nouveaux)
            EnvoiGroupe.objects.filter(pk=envoi_id).update(
                traites=debut + len(lot), mis_en_envoi=mis_en_envoi, ignores=ignores
            )
    with transaction.atomic():
        envoi = EnvoiGroupe.objects.select_for_update().get(pk=envoi_id)
        if envoi.etat == EtatEnvoiGroupe.EN_COURS:
            # Au journal, l'envoi s'achève au nom de qui l'a confirmé : la tâche agit pour lui.
            envoi = appliquer_transition(
                envoi, "terminer", par=envoi.cree_par, verrou=False, motif=_bilan(envoi)
            )
    return envoi


def _bilan(envoi):
    return gettext(
        "%(mis)s message(s) mis dans la boîte d'envoi, %(ignores)s personne(s) ignorée(s) "
        "(messages groupés refusés)."
    ) % {"mis": envoi.mis_en_envoi, "ignores": envoi.ignores}


def _comptes(destinataires):
    ids = {d["utilisateur"] for d in destinataires if d["utilisateur"]}
    modele = EnvoiGroupe._meta.get_field("cree_par").related_model
    return {compte.pk: compte for compte in modele.objects.filter(pk__in=ids, is_active=True)}


def _message(envoi, destinataire, utilisateur, cle):
    valeurs = destinataire["valeurs"]
    return services.rendre_message(
        type_message=ENVOI_GROUPE.type_du_message(),
        destinataire=destinataire["email"],
        utilisateur=utilisateur,
        gabarit=ENVOI_GROUPE.gabarit,
        contexte={
            "sujet": rendre(envoi.sujet, valeurs),
            "corps": rendre(envoi.corps, valeurs),
            "programme": envoi.programme.nom,
            "lien_desabonnement": lien_de_desabonnement(utilisateur, ENVOI_GROUPE),
        },
        objet=envoi,
        cle=cle,
    )
