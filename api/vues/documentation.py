"""La documentation de l'API, en français, lue dans son propre schéma OpenAPI : une page par
point d'accès n'a pas à être tenue à jour à la main. Le schéma lui-même est servi en JSON."""

from functools import lru_cache

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularJSONAPIView

METHODES = ("get",)


@lru_cache(maxsize=4)
def _schema(langue):
    return SchemaGenerator().get_schema(request=None, public=True)


def schema_courant():
    return _schema(get_language())


def _points_d_acces(schema):
    groupes = {}
    for chemin, operations in schema["paths"].items():
        for methode in METHODES:
            operation = operations.get(methode)
            if operation is None:
                continue
            etiquette = (operation.get("tags") or [""])[0]
            groupes.setdefault(etiquette, []).append(
                {
                    "methode": methode.upper(),
                    "chemin": chemin,
                    "resume": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parametres": operation.get("parameters", []),
                    "public": {} in operation.get("security", [{}])
                    or not operation.get("security"),
                    "ancre": operation.get("operationId", ""),
                }
            )
    return list(groupes.items())


def documentation(request):
    schema = schema_courant()
    return render(
        request,
        "api/documentation.html",
        {"schema": schema, "groupes": _points_d_acces(schema)},
    )


class Schema(SpectacularJSONAPIView):
    """Le schéma OpenAPI 3 de l'API, en JSON."""


def introuvable(request):
    return JsonResponse(
        {"detail": gettext("Aucun point d'accès de l'API à cette adresse.")}, status=404
    )
