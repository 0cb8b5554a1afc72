"""L'API de lecture, version 1. Ses noms d'URL sont dans la matrice des jetons
(tests/api/test_matrice_des_jetons.py) : un point d'accès sans sa ligne fait échouer les tests."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from api.vues import accompagnement, bilans, candidatures, documentation, public

app_name = "api"

routeur = SimpleRouter(trailing_slash=True)
routeur.register("appels", public.Appels, basename="appel")
routeur.register("candidatures", candidatures.Candidatures, basename="candidature")
routeur.register("plans", accompagnement.Plans, basename="plan")
routeur.register("formations", accompagnement.Formations, basename="formation")
routeur.register("bilans", bilans.Bilans, basename="bilan")

urlpatterns = [
    path("", documentation.documentation, name="documentation"),
    path("schema.json", documentation.Schema.as_view(), name="schema"),
    path("eligibilite/", public.Eligibilite.as_view(), name="eligibilite"),
    *routeur.urls,
    path(
        "appels/<int:pk>/resultats/",
        candidatures.ResultatsAppel.as_view(),
        name="appel-resultats",
    ),
    path("journal/<str:type>/<int:pk>/", candidatures.Journal.as_view(), name="journal"),
    path(
        "structures/<int:pk>/activite/",
        bilans.ActiviteDUneStructure.as_view(),
        name="structure-activite",
    ),
]

# Toute autre adresse sous /api/v1/ : un 404 en JSON, comme celui d'un objet introuvable (pas la
# page HTML du site). Ce motif reste le dernier de la liste.
urlpatterns.append(re_path(r"^.*$", documentation.introuvable, name="introuvable"))
