from django.urls import path

from echanges import views

app_name = "echanges"

urlpatterns = [
    path("fils/pieces/<int:pk>/", views.piece, name="piece"),
    path("fils/<slug:cle>/<int:pk>/", views.fil, name="fil"),
    path("fils/<slug:cle>/<int:pk>/jury/", views.partage, name="partage"),
]
