"""Ce que le jury garde sur une personne : ses sièges de jury. Déclaré au registre des
données personnelles des comptes (`comptes.donnees_personnelles`)."""

from django.db.models import Q

from comptes.donnees_personnelles import declarer, une_des
from evaluation.models import MembreJury


def exporter(utilisateur, adresses, maintenant):
    return {
        "sieges_de_jury": [
            {"appel": m.jury.appel.titre, "adresse": m.email}
            for m in MembreJury.objects.filter(
                Q(utilisateur=utilisateur) | une_des("email", adresses)
            )
            .select_related("jury__appel")
            .order_by("pk")
        ],
    }


# Chargé par le ready() de l'application.
declarer("evaluation", exporter=exporter, modeles=(MembreJury,))
