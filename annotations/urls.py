from django.urls import path

from annotations import views

app_name = "annotations"

urlpatterns = [
    path("gestion/programmes/<int:pk>/etiquettes/", views.etiquettes, name="etiquettes"),
    path(
        "gestion/etiquettes/<int:pk>/renommer/",
        views.etiquette_renommer,
        name="etiquette_renommer",
    ),
    path(
        "gestion/etiquettes/<int:pk>/supprimer/",
        views.etiquette_supprimer,
        name="etiquette_supprimer",
    ),
    path("gestion/etiquettes/appliquer/<slug:code>/", views.etiqueter, name="etiqueter"),
    path("notes/<slug:code>/<int:pk>/", views.note_ajouter, name="note_ajouter"),
    path("notes/<int:pk>/modifier/", views.note_modifier, name="note_modifier"),
    path("notes/<int:pk>/effacer/", views.note_supprimer, name="note_supprimer"),
]
