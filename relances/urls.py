from django.urls import path

from relances import views

app_name = "relances"
urlpatterns = [
    path("compte/relances/", views.preferences, name="preferences"),
    path("relances/desabonnement/<str:jeton>/", views.desabonnement, name="desabonnement"),
    path("gestion/relances/", views.liste, name="liste"),
    path("gestion/relances/reglages/<str:modele>/<int:pk>/", views.reglages, name="reglages"),
]
