"""La relance d'une réponse attendue : un message de l'équipe qui demande une réponse avant
un jour donné ; ce jour-là, si la structure n'a pas répondu dans le fil, ses membres sont
relancés, une fois (le moteur de `relances` tient la clé de chaque envoi)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echanges import registre
from echanges.models import MessageFil
from echanges.textes import CHAMPS_REPONSE_ATTENDUE, contexte_du_message, exemple_de_message
from messagerie.catalogue import Categorie, Courriel, Echeance, TexteDuProgramme, declarer


def _messages_sans_reponse(maintenant, fenetre):
    return (
        MessageFil.objects.filter(fenetre.filtre("reponse_attendue_avant"), repondu_le__isnull=True)
        .select_related("fil__programme", "fil__cible_type", "auteur")
        .order_by("pk")
    )


def _type_et_objet(message):
    objet = message.fil.cible
    return registre.du_modele(type(objet)), objet


def _structure(message):
    type_de_fil, objet = _type_et_objet(message)
    return [p for p in type_de_fil.cote_structure(objet) if p.is_active]


REPONSE_ATTENDUE = declarer(
    Courriel(
        code="reponse_attendue",
        libelle=_("Réponse attendue dans un fil de discussion"),
        declencheur=Echeance(
            objets=_messages_sans_reponse,
            date_reference=lambda message: message.reponse_attendue_avant,
            decalages=(0,),
            debut=lambda message: timezone.localdate(message.cree_le),
            portees=lambda message: [message.fil.programme],
            portees_modeles=("programmes.programme",),
        ),
        categorie=Categorie.CANDIDATURE,
        destinataires=_structure,
        gabarit="relances/reponse_attendue",
        contexte=contexte_du_message,
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_REPONSE_ATTENDUE,
            sujet=_("[Relais] Une réponse est attendue : {{ intitule }}"),
            corps=_(
                "Bonjour,\n\n"
                "Le {{ date_message }}, {{ auteur }} vous a écrit dans le fil de discussion "
                "« {{ intitule }} » et attend votre réponse avant le {{ date_reponse }}. Nous "
                "n'en avons pas encore reçu.\n\n"
                "Répondez depuis Relais :\n{{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_message,
            pied="emails/relances/pied_relance.txt",
        ),
    )
)
