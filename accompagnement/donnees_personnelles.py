"""Ce que l'accompagnement garde sur une personne : les fiches de référent qui citent son
adresse. Déclaré au registre des données personnelles des comptes
(`comptes.donnees_personnelles`)."""

from accompagnement.models import Referent
from comptes.donnees_personnelles import declarer, une_des


def exporter(utilisateur, adresses, maintenant):
    return {
        "referent_de_structures": [
            {
                "structure": r.structure.nom,
                "prenom": r.prenom,
                "nom": r.nom,
                "fonction": r.fonction,
                "adresse": r.email,
            }
            for r in Referent.objects.filter(une_des("email", adresses))
            .select_related("structure")
            .order_by("pk")
        ],
    }


# Chargé par le ready() de l'application.
declarer("accompagnement", exporter=exporter, modeles=(Referent,))
