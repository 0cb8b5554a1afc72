"""Boîte d'envoi : tout courriel passe par ici, est gardé en base et envoyé par une tâche."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import Engine, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext

from messagerie import tasks
from messagerie.catalogue import (
    courriel_du_type,
    nom_de_la_piece,
    producteur_de_piece,
    refuse_par,
)
from messagerie.enums import EtatMessage
from messagerie.modeles import courriel_du_programme
from messagerie.models import Message, PieceJointe
from noyau.erreurs import ActionImpossible
from noyau.langue import langue_du_destinataire
from noyau.perimetre import id_programme_de
from noyau.taches import publier_au_commit
from noyau.transitions import appliquer_transition

logger = logging.getLogger(__name__)


class EnvoiEchoue(Exception):
    """Le serveur de courrier a refusé ou n'a pas répondu. `nouvel_essai_dans` : le délai (en
    secondes) avant le prochain essai, ou None quand les essais sont épuisés."""

    def __init__(self, message, *, nouvel_essai_dans=None):
        super().__init__(message)
        self.nouvel_essai_dans = nouvel_essai_dans


def delai_avant_nouvel_essai(tentatives):
    """30 s, 1 min, 2 min, 4 min... plafonné à une heure ; None quand les essais sont épuisés
    (le message reste en échec, visible dans « Messages envoyés » pour un renvoi manuel)."""
    if tentatives >= settings.MESSAGERIE_MAX_TENTATIVES:
        return None
    return min(30 * 2 ** (tentatives - 1), 3600)


def _moteur_texte():
    """Les gabarits en texte brut (sujet, corps.txt) ne sont pas échappés comme du HTML :
    « l'appel » doit rester « l'appel », pas « l&#x27;appel »."""
    global _MOTEUR_TEXTE
    if _MOTEUR_TEXTE is None:
        _MOTEUR_TEXTE = Engine(
            dirs=settings.TEMPLATES[0]["DIRS"],
            app_dirs=True,
            autoescape=False,
            # Les gabarits des courriels se traduisent ({% load i18n %}).
            libraries={"i18n": "django.templatetags.i18n"},
        )
    return _MOTEUR_TEXTE


_MOTEUR_TEXTE = None


def _programmer_envoi(message):
    publier_au_commit(tasks.envoyer_message, message_id=message.pk)


def _creer(*, cle, champs, pieces_jointes):
    """Crée le message (une seule fois par clé) et programme son envoi au commit."""
    with transaction.atomic():
        if cle:
            existant = Message.objects.filter(cle=cle).first()
            if existant:
                return existant
        try:
            with transaction.atomic():
                message = Message.objects.create(cle=cle or None, **champs)
        except IntegrityError:
            # Une autre transaction a créé le même message entre-temps : c'est le sien qui part.
            return Message.objects.get(cle=cle)
        PieceJointe.objects.bulk_create(
            PieceJointe(message=message, nom=nom, type_mime=type_mime, contenu=contenu)
            for nom, contenu, type_mime in pieces_jointes
        )
        _programmer_envoi(message)
    return message


def _champs_objet(objet):
    """L'objet du message et le programme dont il relève (qui décide qui peut le lire)."""
    if objet is None:
        return {"objet_type": None, "objet_id": None, "programme_id": None}
    return {
        "objet_type": ContentType.objects.get_for_model(objet),
        "objet_id": objet.pk,
        "programme_id": id_programme_de(objet),
    }


def rendre_message(
    *, type_message, destinataire, gabarit, contexte=None, utilisateur=None, objet=None, cle=None
):
    """Le message rendu depuis ses gabarits, pas encore enregistré.

    Gabarits : `emails/<gabarit>/sujet.txt`, `corps.txt` et, s'il existe, `corps.html`.
    Rendu dans la langue du compte qui le reçoit (`utilisateur`, ou le compte de l'adresse
    `destinataire`), sinon dans la langue par défaut : jamais dans celle de l'expéditeur.
    Si le programme de l'`objet` a écrit sa version de ce courriel (`messagerie.modeles`),
    le sujet et le texte viennent d'elle (sans partie HTML).
    """
    contexte = {"site_url": settings.SITE_URL, **(contexte or {})}
    texte = _moteur_texte()
    langue = langue_du_destinataire(destinataire=destinataire, utilisateur=utilisateur)
    entree = courriel_du_type(type_message)
    with translation.override(langue):
        version = courriel_du_programme(
            entree, id_programme=id_programme_de(objet), contexte=contexte
        )
        if version is not None:
            return _message_du_programme(
                version,
                entree,
                texte=texte,
                contexte=contexte,
                cle=cle,
                type=type_message,
                destinataire=destinataire,
                utilisateur=utilisateur,
                objet=objet,
            )
        sujet = " ".join(texte.render_to_string(f"emails/{gabarit}/sujet.txt", contexte).split())
        corps_texte = texte.render_to_string(f"emails/{gabarit}/corps.txt", contexte)
        try:
            corps_html = get_template(f"emails/{gabarit}/corps.html").render(contexte)
        except TemplateDoesNotExist:
            corps_html = ""
    return Message(
        cle=cle or None,
        type=type_message,
        destinataire=destinataire,
        utilisateur=utilisateur,
        sujet=sujet[:255],
        corps_texte=corps_texte,
        corps_html=corps_html,
        **_champs_objet(objet),
    )


def _message_du_programme(version, entree, *, texte, contexte, objet, cle, **champs):
    """Le message rendu depuis la version du programme : son sujet, son texte, puis le pied du
    courriel s'il en a un (désabonnement des relances, par exemple). Pas de partie HTML : le
    texte du gestionnaire n'est jamais lu comme du HTML."""
    sujet, corps_texte = version
    pied = entree.texte_du_programme.pied
    if pied:
        corps_texte = corps_texte.rstrip("\n") + "\n" + texte.render_to_string(pied, contexte)
    return Message(
        cle=cle or None,
        sujet=sujet[:255],
        corps_texte=corps_texte,
        corps_html="",
        **champs,
        **_champs_objet(objet),
    )


def preparer_message(
    *,
    type_message,
    destinataire,
    gabarit,
    contexte=None,
    utilisateur=None,
    objet=None,
    cle=None,
    pieces_jointes=(),
    pieces_a_produire=(),
):
    """Met un courriel dans la boîte d'envoi à partir de ses gabarits et programme son envoi.

    `pieces_jointes` : des triplets (nom, contenu en octets, type MIME).
    `pieces_a_produire` : des fonctions `fonction(objet)` qui rendent un tel triplet,
    déclarées par `messagerie.catalogue.piece_a_produire` (ou leur nom), appelées par le
    worker juste avant l'envoi (pour ne pas calculer un PDF dans la requête de
    l'utilisateur) ; la pièce est alors enregistrée avec le message.
    Avec une `cle`, un second appel ne crée rien et renvoie le message déjà créé.
    """
    message = rendre_message(
        type_message=type_message,
        destinataire=destinataire,
        gabarit=gabarit,
        contexte=contexte,
        utilisateur=utilisateur,
        objet=objet,
        cle=cle,
    )
    champs = {
        champ.attname: getattr(message, champ.attname)
        for champ in Message._meta.concrete_fields
        if champ.attname in _CHAMPS_RENDUS
    }
    champs["pieces_a_produire"] = [
        piece if isinstance(piece, str) else nom_de_la_piece(piece) for piece in pieces_a_produire
    ]
    return _creer(cle=cle, champs=champs, pieces_jointes=pieces_jointes)


_CHAMPS_RENDUS = {
    "type",
    "destinataire",
    "utilisateur_id",
    "sujet",
    "corps_texte",
    "corps_html",
    "objet_type_id",
    "objet_id",
    "programme_id",
}


def deposer_lot(messages, pieces_jointes=None):
    """Enregistre d'un coup des messages rendus (clés neuves, vérifiées par l'appelant sous
    verrou) et programme leur envoi par une seule tâche au commit. Renvoie les messages.

    `pieces_jointes` : pour chaque message, dans le même ordre, ses triplets (nom, contenu en
    octets, type MIME)."""
    crees = Message.objects.bulk_create(messages)
    if pieces_jointes:
        PieceJointe.objects.bulk_create(
            PieceJointe(message=message, nom=nom, type_mime=type_mime, contenu=contenu)
            for message, pieces in zip(crees, pieces_jointes, strict=True)
            for nom, contenu, type_mime in pieces
        )
    ids = [message.pk for message in crees]
    if ids:
        publier_au_commit(tasks.envoyer_lot, message_ids=ids)
    return crees


def deposer_courriel(courriel, *, type_message, utilisateur=None):
    """Met dans la boîte d'envoi un courriel déjà rendu (ceux d'allauth, par exemple)."""
    corps_html = ""
    for contenu, type_mime in getattr(courriel, "alternatives", []):
        if type_mime == "text/html":
            corps_html = contenu
    return _creer(
        cle=None,
        champs={
            "type": type_message,
            "destinataire": courriel.to[0],
            "utilisateur": utilisateur,
            "sujet": courriel.subject[:255],
            "corps_texte": courriel.body,
            "corps_html": corps_html,
            **_champs_objet(None),
        },
        pieces_jointes=[],
    )


def _courriel(message):
    courriel = EmailMultiAlternatives(
        subject=message.sujet,
        body=message.corps_texte,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.destinataire],
        headers={"Message-ID": message.identifiant_courriel},
    )
    if message.corps_html:
        courriel.attach_alternative(message.corps_html, "text/html")
    for piece in message.pieces_jointes.all():
        courriel.attach(piece.nom, bytes(piece.contenu), piece.type_mime)
    return courriel


def _produire_les_pieces(message):
    """Calcule et enregistre les pièces jointes différées du message, une seule fois : les
    pièces et la liste vidée sont écrites ensemble, un envoi repris ne les refait pas."""
    if not message.pieces_a_produire:
        return
    pieces = []
    # Les pièces (un PDF, par exemple) dans la langue du message, celle de son destinataire.
    langue = langue_du_destinataire(
        destinataire=message.destinataire, utilisateur=message.utilisateur
    )
    for chemin in message.pieces_a_produire:
        with translation.override(langue):
            nom, contenu, type_mime = producteur_de_piece(chemin)(message.objet)
        pieces.append(PieceJointe(message=message, nom=nom, type_mime=type_mime, contenu=contenu))
    with transaction.atomic():
        PieceJointe.objects.bulk_create(pieces)
        message.pieces_a_produire = []
        message.save(update_fields=["pieces_a_produire", "modifie_le"])


def envoyer(message_id, *, maintenant=None):
    """Envoie un message de la boîte d'envoi, une seule fois.

    Change l'état : a_envoyer|echec → en_cours → envoye, ou → echec avec l'erreur (EnvoiEchoue
    est alors levée pour que la tâche réessaie). Le passage en cours pose un bail
    (MESSAGERIE_DUREE_BAIL) : s'il expire, le worker est tenu pour mort et `rattraper_envois`
    reprend le message. Seul le worker de la tentative en cours conclut : un worker dont le
    message a été repris entre-temps n'écrit rien. Un message déjà envoyé, en cours d'envoi
    par un autre worker, repris ou disparu n'est pas touché : renvoie False.
    """
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.etat not in (EtatMessage.A_ENVOYER, EtatMessage.ECHEC):
            return False
        appliquer_transition(
            message,
            "commencer_envoi",
            par=None,
            verrou=False,
            bail_expire_le=maintenant + settings.MESSAGERIE_DUREE_BAIL,
        )
    tentative = message.tentatives
    try:
        _produire_les_pieces(message)
        _courriel(message).send(fail_silently=False)
    except Exception as erreur:
        logger.warning("Envoi du message %s échoué : %s", message_id, erreur)
        with transaction.atomic():
            message = _tenu_par_la_tentative(message_id, tentative)
            if message is None:
                return False
            delai = delai_avant_nouvel_essai(message.tentatives)
            appliquer_transition(
                message,
                "marquer_echec",
                par=None,
                verrou=False,
                erreur=f"{type(erreur).__name__}: {erreur}",
                prochain_essai_le=(
                    None if delai is None else timezone.now() + timezone.timedelta(seconds=delai)
                ),
            )
        raise EnvoiEchoue(str(erreur), nouvel_essai_dans=delai) from erreur
    with transaction.atomic():
        message = _tenu_par_la_tentative(message_id, tentative)
        if message is None:
            return False
        appliquer_transition(message, "marquer_envoye", par=None, verrou=False)
    return True


def _tenu_par_la_tentative(message_id, tentative):
    """Le message verrouillé s'il est toujours en cours d'envoi par cette tentative, None si le
    rattrapage l'a repris après l'expiration du bail (un autre worker en a la charge)."""
    message = Message.objects.select_for_update().get(pk=message_id)
    if message.etat == EtatMessage.EN_COURS and message.tentatives == tentative:
        return message
    logger.warning(
        "Message %s : bail perdu (tentative %s, le message est %s à la tentative %s) ; "
        "l'autre envoi conclura.",
        message_id,
        tentative,
        message.etat,
        message.tentatives,
    )
    return None


def renvoyer(message, *, par):
    """Un gestionnaire remet en envoi un message en échec : journalisé, envoi au commit."""
    with transaction.atomic():
        message = appliquer_transition(
            message,
            "remettre_a_envoyer",
            par=par,
            permission="messagerie.renvoyer_message",
            motif="Renvoi demandé par un gestionnaire",
            refus_etat=lambda _message: ActionImpossible(
                gettext("Ce message n'est pas en échec : il n'y a rien à renvoyer.")
            ),
        )
        _programmer_envoi(message)
    return message


# Un message « à envoyer » depuis plus longtemps n'a sans doute jamais été mis en file (broker
# injoignable au commit) : le rattrapage le republie, au plus une fois par délai.
DELAI_AVANT_REPUBLICATION = timezone.timedelta(minutes=2)


def rattraper_envois(*, maintenant=None):
    """Reprend les envois abandonnés et reprogramme leur envoi au commit.

    - « en cours » dont le bail a expiré (worker tué ou figé pendant l'envoi) : repassent
      « à envoyer », journalisé ; le prochain envoi part avec le même Message-ID ;
    - « à envoyer » depuis plus de DELAI_AVANT_REPUBLICATION (file injoignable au commit) :
      republiés, et leur date de modification avancée pour ne pas l'être à chaque passage ;
    - « en échec » dont l'essai suivant aurait dû partir depuis plus de ce délai (la tâche qui
      devait le refaire s'est perdue) : republiés, leur date d'essai avancée de même.

    Les lignes verrouillées par un envoi ou un autre rattrapage sont sautées : deux rattrapages
    simultanés ne reprennent pas deux fois le même message. Renvoie le nombre reprogrammé.
    """
    maintenant = maintenant or timezone.now()
    with transaction.atomic():
        expires = list(
            Message.objects.select_for_update(skip_locked=True).filter(
                etat=EtatMessage.EN_COURS, bail_expire_le__lt=maintenant
            )
        )
        for message in expires:
            appliquer_transition(
                message,
                "remettre_a_envoyer",
                par=None,
                verrou=False,
                motif="Bail expiré : envoi interrompu, repris automatiquement",
            )
        en_attente = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(
                etat=EtatMessage.A_ENVOYER, modifie_le__lt=maintenant - DELAI_AVANT_REPUBLICATION
            )
            .exclude(pk__in=[message.pk for message in expires])
        )
        Message.objects.filter(pk__in=[message.pk for message in en_attente]).update(
            modifie_le=maintenant
        )
        essais_perdus = list(
            Message.objects.select_for_update(skip_locked=True).filter(
                etat=EtatMessage.ECHEC,
                prochain_essai_le__lt=maintenant - DELAI_AVANT_REPUBLICATION,
            )
        )
        Message.objects.filter(pk__in=[message.pk for message in essais_perdus]).update(
            prochain_essai_le=maintenant
        )
        a_reprendre = expires + en_attente + essais_perdus
        for message in a_reprendre:
            _programmer_envoi(message)
    return len(a_reprendre)


def preparer_courriel(entree, *, destinataire, utilisateur=None, **arguments):
    """Met dans la boîte d'envoi le courriel du catalogue `entree`, déclenché par un événement,
    rendu depuis ses gabarits ; sauf si le compte qui le reçoit l'a refusé (courriel non
    essentiel) : renvoie alors None. `arguments` : ceux de `preparer_message`."""
    if refuse_par(utilisateur, entree):
        return None
    return preparer_message(
        type_message=entree.type_du_message(),
        destinataire=destinataire,
        utilisateur=utilisateur,
        gabarit=entree.gabarit,
        **arguments,
    )
