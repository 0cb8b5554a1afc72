from django.urls import path

from messagerie import views

app_name = "messagerie"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/renvoyer/", views.renvoyer, name="renvoyer"),
]
