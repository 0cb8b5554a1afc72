"""Des vues d'essai pour tests/noyau/test_pages_en_cache.py."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import path

from noyau.pages_en_cache import page_en_cache

appels = {}


def _compter(nom):
    appels[nom] = appels.get(nom, 0) + 1


@page_en_cache
def lecture(request):
    _compter("lecture")
    return HttpResponse(f"{Group.objects.count()} groupe(s) · {request.user.email}")


@page_en_cache
def ecriture(request):
    _compter("ecriture")
    Group.objects.create(name=f"Groupe {appels['ecriture']}")
    return HttpResponse("écrit")


@page_en_cache
def cookie(request):
    _compter("cookie")
    reponse = HttpResponse("cookie")
    reponse.set_cookie("vu", "1")
    return reponse


@page_en_cache
def introuvable(request):
    _compter("introuvable")
    return HttpResponseNotFound("introuvable")


@page_en_cache
def message(request):
    _compter("message")
    messages.info(request, "Bonjour")
    return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))


urlpatterns = [
    path("lecture/", lecture),
    path("ecriture/", ecriture),
    path("cookie/", cookie),
    path("introuvable/", introuvable),
    path("message/", message),
]
