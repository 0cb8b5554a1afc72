from django.urls import path

from donnees_ouvertes import views

app_name = "donnees_ouvertes"

urlpatterns = [
    path("donnees/", views.jeux, name="jeux"),
    path("donnees/<slug:slug>/", views.jeu, name="jeu"),
    path("donnees/<slug:slug>/indicateurs.csv", views.indicateurs, name="indicateurs"),
    path("donnees/<slug:slug>/datapackage.json", views.descripteur, name="descripteur"),
    path("gestion/donnees-ouvertes/<slug:slug>/publier/", views.publier, name="publier"),
    path("gestion/donnees-ouvertes/<slug:slug>/retirer/", views.retirer, name="retirer"),
]
