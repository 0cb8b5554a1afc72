from django.urls import path

from messagerie import views, views_envois, views_modeles

app_name = "messagerie"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/renvoyer/", views.renvoyer, name="renvoyer"),
    # Les modèles de courriels et de documents d'un programme.
    path("programmes/<int:programme_pk>/modeles/", views_modeles.liste, name="modeles"),
    path(
        "programmes/<int:programme_pk>/modeles/<str:genre>/<str:code>/",
        views_modeles.modifier,
        name="modele",
    ),
    path(
        "programmes/<int:programme_pk>/modeles/<str:genre>/<str:code>/retablir/",
        views_modeles.retablir,
        name="modele_retablir",
    ),
    path("envois/", views_envois.liste, name="envois"),
    path("envois/<int:pk>/", views_envois.envoi, name="envoi"),
    path("ecrire/<slug:code>/<int:pk>/", views_envois.ecrire, name="ecrire"),
]
