from django.urls import path

from telechargements import views

app_name = "telechargements"

urlpatterns = [
    path("mes-exports/", views.mes_exports, name="mes_exports"),
    path("mes-exports/<int:pk>/", views.export, name="export"),
    path("mes-exports/<int:pk>/etat/", views.export_etat, name="export_etat"),
    path("mes-exports/<int:pk>/fichier/", views.export_fichier, name="export_fichier"),
    path("mes-exports/<int:pk>/relancer/", views.export_relancer, name="export_relancer"),
]
