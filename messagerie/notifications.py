"""Le courriel des envois groupés : écrit par un gestionnaire, refusable par chacun."""

from django.utils.translation import gettext_lazy as _

from messagerie.catalogue import Categorie, Courriel, Evenement, declarer

ENVOI_GROUPE = declarer(
    Courriel(
        code="envoi_groupe",
        libelle=_("Message groupé de l'équipe du programme"),
        declencheur=Evenement("un gestionnaire écrit à une liste (messagerie.envois)"),
        categorie=Categorie.CANDIDATURE,
        destinataires="chaque destinataire de la liste filtrée choisie par le gestionnaire",
        gabarit="envoi_groupe",
        # Une information écrite à toute une liste : chacun peut la refuser, et chaque message
        # porte le lien pour le faire.
        essentiel=False,
    )
)
