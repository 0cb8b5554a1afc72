"""Pages publiques du site, point d'entrée après connexion et sonde de santé."""

import logging

import rules
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from aap.celery import app as celery_app
from echanges import selectors as selectors_echanges
from noyau.decorateurs import permission_requise
from noyau.pages_en_cache import page_en_cache
from noyau.perimetre import ids_structures

logger = logging.getLogger(__name__)


def accueil(request):
    return render(request, "pages/accueil.html")


def accessibilite(request):
    return render(request, "pages/accessibilite.html")


def mentions_legales(request):
    return render(request, "pages/mentions_legales.html")


@page_en_cache
@login_required
def tableau_de_bord(request):
    """Renvoie chaque utilisateur vers l'espace de son rôle."""
    if rules.test_rule("est_gestionnaire", request.user):
        return redirect("accueil_gestion")
    return render(
        request,
        "pages/tableau_de_bord.html",
        {
            "messages_non_lus": selectors_echanges.total_non_lus(request.user),
            # Ses structures, déjà lues pour ses messages : pas une requête de plus.
            "a_une_structure": bool(ids_structures(request.user)),
        },
    )


@page_en_cache
@permission_requise("comptes.acceder_gestion")
def accueil_gestion(request):
    return render(
        request,
        "pages/accueil_gestion.html",
        {"messages_non_lus": selectors_echanges.total_non_lus(request.user)},
    )


def _etat_base_de_donnees():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - la sonde rapporte toute panne
        logger.exception("Sonde de santé : base de données injoignable")
        return False
    return True


def _etat_broker():
    try:
        with celery_app.connection_for_write() as connexion:
            connexion.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 - la sonde rapporte toute panne
        logger.exception("Sonde de santé : broker Celery injoignable")
        return False
    return True


@never_cache
def sante(request):
    """L'état de chaque service, en un mot : le détail d'une panne (hôte, port, message du
    pilote) va dans les journaux du serveur, jamais dans la réponse, que tout le monde peut lire."""
    etats = {"base_de_donnees": _etat_base_de_donnees(), "broker": _etat_broker()}
    statut = 200 if all(etats.values()) else 503
    return JsonResponse(
        {
            "statut": "ok" if statut == 200 else "degrade",
            **{service: "ok" if ok else "indisponible" for service, ok in etats.items()},
        },
        status=statut,
    )


def plancher(request):
    """Le plancher du banc d'essai : ni base, ni gabarit, ni session lue ; ce que coûte la pile
    seule (gunicorn, Django, intergiciels), à laquelle chaque page est comparée."""
    return HttpResponse("ok", content_type="text/plain")
