"""Ce que les fils gardent d'une personne : les messages qu'elle a écrits (leur texte, leurs
pièces par leur nom). Déclaré au registre des données personnelles des comptes
(`comptes.donnees_personnelles`) ; ceux des autres qui la citent y sont seulement signalés."""

from comptes.donnees_personnelles import date_iso, declarer
from echanges.models import MessageFil


def exporter(utilisateur, adresses, maintenant):
    messages = (
        MessageFil.objects.filter(auteur=utilisateur)
        .select_related("fil__cible_type")
        .prefetch_related("pieces")
        .order_by("pk")
    )
    return {
        "messages_des_fils": [
            {
                "objet": f"{message.fil.cible_type.model} {message.fil.cible_id}",
                "ecrit_le": date_iso(message.cree_le),
                "cote": message.cote,
                "texte": message.texte,
                "pieces": [piece.nom_original for piece in message.pieces.all()],
            }
            for message in messages
        ],
    }


# Chargé par le ready() de l'application.
declarer("echanges", exporter=exporter, modeles=(MessageFil,))
