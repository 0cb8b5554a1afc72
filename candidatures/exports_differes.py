"""L'export de la liste filtrée des candidatures, préparé par le worker au-delà de
RELAIS_EXPORT_SEUIL_LIGNES lignes : inscrit au registre des exports (`telechargements`).

La liste est refaite comme la page l'a montrée : le formulaire de filtres reconstruit depuis
la chaîne de requête gardée avec la demande ; les lignes et les colonnes sont celles de
l'export immédiat (`candidatures.exports`), dans la langue de la demande."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from annotations import selectors as annotations
from candidatures import exports, selectors
from candidatures.forms import FiltreCandidaturesForm, communes_du_filtre
from telechargements.registre import GenreDExport, inscrire

ACCES = "comptes.acceder_gestion"
GENRE = "candidatures"


def liste_filtree(appel, donnees):
    """(formulaire, candidatures) de la liste de l'appel filtrée par `donnees` (un QueryDict,
    vide sans filtre)."""
    form = FiltreCandidaturesForm(
        donnees or None,
        communes=communes_du_filtre(appel),
        etiquettes=annotations.etiquettes_du_programme(appel.programme),
    )
    return form, selectors.candidatures_de_l_appel(appel, **form.criteres())


def _produire(telechargement, sortie, progression):
    appel = telechargement.appel
    _form, liste = liste_filtree(appel, QueryDict(telechargement.parametres.get("filtres", "")))
    ecrire = exports.ecrire_xlsx if telechargement.format == "xlsx" else exports.ecrire_csv
    return ecrire(appel, liste, sortie, progression)


def _autorise(utilisateur, telechargement):
    """La personne gère toujours le programme de l'appel."""
    return (
        utilisateur.has_perm(ACCES)
        and selectors.appels_geres_par(utilisateur).filter(pk=telechargement.appel_id).exists()
    )


def _nom_de_fichier(telechargement):
    return exports.nom_de_fichier(telechargement.appel, telechargement.format)


def _retour(telechargement):
    adresse = reverse("candidatures:gestion_candidatures", args=[telechargement.appel_id])
    filtres = telechargement.parametres.get("filtres")
    return f"{adresse}?{filtres}" if filtres else adresse


CANDIDATURES = inscrire(
    GenreDExport(
        code=GENRE,
        libelle=_("Export des candidatures"),
        produire=_produire,
        autorise=_autorise,
        nom_de_fichier=_nom_de_fichier,
        retour=_retour,
    )
)
