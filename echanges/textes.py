"""Les champs que les fils de discussion offrent aux modèles d'un programme : le courriel d'un
nouveau message et la relance d'une réponse attendue.

Chaque valeur est mise en forme ici, en texte : un modèle ne reçoit jamais d'objet ; jamais
non plus le texte du message, qui se lit dans Relais, derrière les droits de l'objet."""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from echanges import registre
from echanges.models import MessageFil
from messagerie.catalogue import Champ


def _date(jour):
    return date_format(jour, "j F Y") if jour else ""


CHAMPS_FIL = (
    Champ("auteur", _("Nom de la personne qui a écrit le message"), lambda c: c["auteur"]),
    Champ(
        "intitule",
        _("Ce dont parle le fil (« CCAS A — AMI 2027 »)"),
        lambda c: c["intitule"],
    ),
    Champ("programme", _("Nom du programme"), lambda c: c["message"].fil.programme.nom),
    Champ(
        "date_reponse",
        _("Date avant laquelle une réponse est attendue (« 12 mai 2025 », peut être vide)"),
        lambda c: _date(c["message"].reponse_attendue_avant),
    ),
    Champ("lien", _("Adresse du fil de discussion"), lambda c: c["lien"]),
)

CHAMPS_MESSAGE = CHAMPS_FIL + (
    Champ(
        "nombre_de_pieces",
        _("Nombre de pièces jointes au message (un nombre, 0 sans pièce)"),
        lambda c: c["nombre_de_pieces"],
    ),
)

CHAMPS_REPONSE_ATTENDUE = CHAMPS_FIL + (
    Champ(
        "date_message",
        _("Date du message qui attend une réponse (« 12 mai 2025 »)"),
        lambda c: _date(timezone.localdate(c["message"].cree_le)),
    ),
)


def contexte_du_message(message):
    """Ce que les courriels d'un message disent de lui, vu du côté de la structure."""
    objet = message.fil.cible
    type_de_fil = registre.du_modele(type(objet))
    auteur = message.auteur
    return {
        "message": message,
        "intitule": type_de_fil.intitule(objet),
        "auteur": (auteur.get_full_name() or auteur.email) if auteur else "Relais",
        "lien": settings.SITE_URL + type_de_fil.page(objet, "structure") + "#fil-discussion",
    }


def exemple_de_message(id_programme):
    """Le contexte du dernier message d'un fil du programme, pour l'aperçu."""
    message = (
        MessageFil.objects.filter(fil__programme_id=id_programme)
        .select_related("fil__programme", "fil__cible_type", "auteur")
        .order_by("-pk")
        .first()
    )
    if message is None:
        return None
    return {
        **contexte_du_message(message),
        "reponse_attendue_avant": message.reponse_attendue_avant,
        "nombre_de_pieces": message.pieces.count(),
    }
