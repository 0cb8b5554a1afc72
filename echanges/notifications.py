"""Le courriel d'un nouveau message dans un fil : à chaque personne de l'autre côté, avec le
lien vers la page de l'objet, jamais le texte du message (il se lit dans Relais, derrière les
droits de l'objet)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from echanges.textes import CHAMPS_MESSAGE, exemple_de_message
from messagerie.catalogue import Categorie, Courriel, Evenement, TexteDuProgramme, declarer
from messagerie.services import preparer_courriel

MESSAGE_DANS_LE_FIL = declarer(
    Courriel(
        code="message_fil",
        libelle=_("Nouveau message dans un fil de discussion"),
        declencheur=Evenement("message écrit dans le fil d'une candidature ou d'un plan"),
        categorie=Categorie.CANDIDATURE,
        destinataires=(
            "les personnes de l'autre côté du fil : la structure (membres actifs) ou l'équipe "
            "(gestionnaires du programme, coach du plan)"
        ),
        gabarit="message_fil",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_MESSAGE,
            sujet=_("[Relais] Nouveau message : {{ intitule }}"),
            corps=_(
                "Bonjour,\n\n"
                "{{ auteur }} a écrit un message dans le fil de discussion « {{ intitule }} »."
                "{% if nombre_de_pieces > 1 %} Il porte {{ nombre_de_pieces }} pièces jointes."
                "{% elif nombre_de_pieces == 1 %} Il porte 1 pièce jointe.{% endif %}\n"
                "{% if date_reponse %}\nUne réponse est attendue avant le {{ date_reponse }}.\n"
                "{% endif %}\n"
                "Lisez-le et répondez depuis Relais :\n{{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_message,
            destinataires=_(
                "les personnes de l'autre côté du fil : la structure, ou l'équipe du programme"
            ),
        ),
    )
)


def _nom(utilisateur):
    return utilisateur.get_full_name() or utilisateur.email


def message_ecrit(message, *, objet, type_de_fil, destinataires, cote_destinataires):
    """Un courriel par personne ; la clé (message, personne) fait qu'un second appel ne crée
    rien."""
    lien = settings.SITE_URL + type_de_fil.page(objet, cote_destinataires) + "#fil-discussion"
    for personne in destinataires:
        preparer_courriel(
            MESSAGE_DANS_LE_FIL,
            destinataire=personne.email,
            utilisateur=personne,
            objet=objet,
            cle=f"message_fil:{message.pk}:{personne.pk}",
            contexte={
                "auteur": _nom(message.auteur) if message.auteur else "Relais",
                "intitule": type_de_fil.intitule(objet),
                "message": message,
                "reponse_attendue_avant": message.reponse_attendue_avant,
                "nombre_de_pieces": message.pieces.count(),
                "lien": lien,
            },
        )
