from django.urls import path

from messagerie import views, views_envois

app_name = "messagerie"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/renvoyer/", views.renvoyer, name="renvoyer"),
    path("envois/", views_envois.liste, name="envois"),
    path("envois/<int:pk>/", views_envois.envoi, name="envoi"),
    path("ecrire/<slug:code>/<int:pk>/", views_envois.ecrire, name="ecrire"),
]
