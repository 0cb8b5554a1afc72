from django.urls import path

from crochets import views

app_name = "crochets"

urlpatterns = [
    path("gestion/programmes/<int:pk>/webhooks/", views.liste, name="webhooks"),
    path("gestion/webhooks/<int:pk>/", views.webhook, name="webhook"),
    path("gestion/webhooks/<int:pk>/secret/", views.regenerer_secret, name="webhook_secret"),
    path("gestion/webhooks/<int:pk>/test/", views.tester, name="webhook_tester"),
    path("gestion/webhooks/<int:pk>/supprimer/", views.supprimer, name="webhook_supprimer"),
    path(
        "gestion/webhooks/livraisons/<int:pk>/renvoyer/",
        views.renvoyer,
        name="livraison_renvoyer",
    ),
]
