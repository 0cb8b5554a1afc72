"""Ce que l'API garde d'une personne : ses jetons (nom, début, programme, dates ; jamais le
jeton lui-même). Son compte effacé, ils sont supprimés : aucun outil ne lit plus en son nom.
Déclaré au registre des données personnelles des comptes (`comptes.donnees_personnelles`)."""

from api.models import JetonAPI
from comptes.donnees_personnelles import date_iso, declarer


def exporter(utilisateur, adresses, maintenant):
    return {
        "jetons_api": [
            {
                "nom": jeton.nom,
                "debut": jeton.prefixe,
                "programme": jeton.programme.nom,
                "cree_le": date_iso(jeton.cree_le),
                "expire_le": date_iso(jeton.expire_le),
                "dernier_usage_le": date_iso(jeton.dernier_usage_le),
                "revoque_le": date_iso(jeton.revoque_le),
            }
            for jeton in JetonAPI.objects.filter(utilisateur=utilisateur)
            .select_related("programme")
            .order_by("pk")
        ]
    }


def anonymiser(utilisateur, adresses, maintenant):
    JetonAPI.objects.filter(utilisateur=utilisateur).delete()


# Chargé par le ready() de l'application.
declarer("api", exporter=exporter, anonymiser=anonymiser, modeles=(JetonAPI,))
