from django.urls import path
from django.views.i18n import JavaScriptCatalog

from noyau.langue import choisir_langue

urlpatterns = [
    path("setlang/", choisir_langue, name="set_language"),
    # Les textes des scripts (autocomplétion, enregistrement automatique…) dans la langue de
    # la page : `gettext()` côté navigateur, catalogue `djangojs`.
    path("catalogue.js", JavaScriptCatalog.as_view(), name="catalogue_js"),
]
