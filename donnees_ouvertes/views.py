"""Les jeux publiés, en accès libre (liste, page d'un jeu, CSV, descripteur), et les deux gestes
du gestionnaire du programme : publier (ou mettre à jour) et retirer, chacun confirmé sur sa
page avant le POST.

Les adresses d'un jeu sont stables : celles d'un appel jamais publié n'existent pas (404),
celles d'une publication retirée répondent « retirée » (410). Les deux fichiers se lisent
depuis un autre site (CORS ouvert) et se revalident par ETag et Last-Modified."""

import hashlib
from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe

from activite.bilan import bilan_a_jour
from activite.selectors import structures_de_la_cohorte
from donnees_ouvertes import paquet, services
from donnees_ouvertes.models import Publication
from noyau.decorateurs import permission_requise
from noyau.perimetre import geres_par
from noyau.refus import executer
from programmes.models import Appel

# Un jeu mis à jour ou retiré se voit en quelques minutes au plus, même derrière un cache.
CACHE_CONTROL = "public, max-age=300"
TYPE_CSV = "text/csv; charset=utf-8"
TYPE_JSON = "application/json; charset=utf-8"


def _lue(request, slug):
    """La publication de l'appel (en ligne ou retirée) ou None, lue une fois par requête : les
    fonctions d'ETag et de Last-Modified puis la vue la reprennent."""
    if not hasattr(request, "_publication_lue"):
        request._publication_lue = (
            Publication.objects.select_related("appel__programme").filter(appel__slug=slug).first()
        )
    return request._publication_lue


def _publication(request, slug):
    """La publication de l'appel, en ligne ou retirée ; 404 si l'appel n'a jamais été publié."""
    publication = _lue(request, slug)
    if publication is None:
        raise Http404(_("Aucun jeu de données publié à cette adresse."))
    return publication


def _en_ligne(request, slug):
    publication = _lue(request, slug)
    return publication if publication is not None and publication.en_ligne else None


def _retiree(request, publication):
    return render(
        request, "donnees_ouvertes/retiree.html", {"publication": publication}, status=410
    )


def _empreinte(texte):
    return hashlib.sha256(texte.encode()).hexdigest()


def _derniere_modification(request, slug):
    publication = _en_ligne(request, slug)
    return publication.publiee_le if publication else None


def _etag_csv(request, slug):
    publication = _en_ligne(request, slug)
    return _empreinte(publication.csv) if publication else None


def _etag_descripteur(request, slug):
    publication = _en_ligne(request, slug)
    return _empreinte(paquet.descripteur_en_json(publication.descripteur)) if publication else None


def _lisible_d_ailleurs(vue):
    """CORS ouvert et cache public sur toutes les réponses du fichier (304 et 410 compris) :
    un site tiers le lit depuis le navigateur de ses visiteurs."""

    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        reponse = vue(request, *args, **kwargs)
        reponse["Access-Control-Allow-Origin"] = "*"
        reponse["Cache-Control"] = CACHE_CONTROL
        return reponse

    return enveloppe


def _fichier(contenu, type_contenu, nom):
    """Le fichier sous son nom de paquet : téléchargés côte à côte, le descripteur trouve le
    CSV par son chemin relatif."""
    reponse = HttpResponse(contenu.encode(), content_type=type_contenu)
    reponse["Content-Disposition"] = f'inline; filename="{nom}"'
    return reponse


# --- En accès libre -----------------------------------------------------------------------


@require_safe
def jeux(request):
    publications = (
        Publication.objects.filter(retiree_le__isnull=True)
        .select_related("appel__programme")
        .order_by("-publiee_le")
    )
    return render(request, "donnees_ouvertes/jeux.html", {"publications": publications})


@require_safe
def jeu(request, slug):
    publication = _publication(request, slug)
    if not publication.en_ligne:
        return _retiree(request, publication)
    descripteur = publication.descripteur
    types = {
        "string": _("texte"),
        "integer": _("nombre entier"),
        "number": _("nombre décimal (point)"),
    }
    ressource = descripteur["resources"][0]
    return render(
        request,
        "donnees_ouvertes/jeu.html",
        {
            "publication": publication,
            "descripteur": descripteur,
            "ressource": ressource,
            "champs": [
                {**champ, "type_affiche": types.get(champ["type"], champ["type"])}
                for champ in ressource["schema"]["fields"]
            ],
            "licence": descripteur["licenses"][0],
            "lignes": publication.csv.count("\n") - 1,
            "nom_du_fichier": paquet.NOM_DU_FICHIER,
            "nom_du_descripteur": paquet.NOM_DU_DESCRIPTEUR,
        },
    )


@require_safe
@_lisible_d_ailleurs
@condition(etag_func=_etag_csv, last_modified_func=_derniere_modification)
def indicateurs(request, slug):
    publication = _publication(request, slug)
    if not publication.en_ligne:
        return _retiree(request, publication)
    return _fichier(publication.csv, TYPE_CSV, paquet.NOM_DU_FICHIER)


@require_safe
@_lisible_d_ailleurs
@condition(etag_func=_etag_descripteur, last_modified_func=_derniere_modification)
def descripteur(request, slug):
    publication = _publication(request, slug)
    if not publication.en_ligne:
        return _retiree(request, publication)
    contenu = paquet.descripteur_en_json(publication.descripteur)
    return _fichier(contenu, TYPE_JSON, paquet.NOM_DU_DESCRIPTEUR)


# --- Pour les gestionnaires du programme ----------------------------------------------------

GERER = "donnees_ouvertes.gerer_publications"
GABARIT_PUBLIER = "donnees_ouvertes/publier.html"
GABARIT_RETIRER = "donnees_ouvertes/retirer.html"


def _appel_gere(request, slug):
    """L'appel d'un programme que la personne gère ; 404 pour celui d'un autre programme."""
    return get_object_or_404(
        Appel.objects.filter(geres_par(Appel, request.user)).select_related("programme"),
        slug=slug,
    )


def _contexte_publier(appel):
    """Ce qui deviendrait public, tel quel : les lignes du CSV, déjà masquées."""
    publication = services.publication_de(appel)
    a_une_cohorte = structures_de_la_cohorte(appel).exists()
    apercu = None
    if a_une_cohorte:
        csv, _descripteur = paquet.instantane(appel, bilan_a_jour(appel), publiee_le=timezone.now())
        apercu = paquet.lire_csv(csv)
    return {
        "appel": appel,
        "publication": publication,
        "a_une_cohorte": a_une_cohorte,
        "apercu": apercu,
    }


@permission_requise(GERER)
def publier(request, slug):
    appel = _appel_gere(request, slug)
    if request.method == "POST":
        deja_en_ligne = bool((p := services.publication_de(appel)) and p.en_ligne)
        _publication, refus = executer(
            request,
            lambda: services.publier(appel, par=request.user),
            gabarit=GABARIT_PUBLIER,
            contexte=lambda: _contexte_publier(appel),
            succes=_("Publication en données ouvertes mise à jour.")
            if deja_en_ligne
            else _("Indicateurs de la cohorte publiés en données ouvertes."),
        )
        return refus or redirect("activite:bilan", slug=appel.slug)
    return render(request, GABARIT_PUBLIER, _contexte_publier(appel))


@permission_requise(GERER)
def retirer(request, slug):
    appel = _appel_gere(request, slug)
    contexte = {"appel": appel, "publication": services.publication_de(appel)}
    if request.method == "POST":
        _publication, refus = executer(
            request,
            lambda: services.retirer(appel, par=request.user),
            gabarit=GABARIT_RETIRER,
            contexte=contexte,
            succes=_("Publication retirée : ses adresses répondent désormais qu'elle est retirée."),
        )
        return refus or redirect("activite:bilan", slug=appel.slug)
    return render(request, GABARIT_RETIRER, contexte)
