from django.urls import path

from api.vues import jetons

app_name = "jetons"

urlpatterns = [
    path("mon-compte/jetons/", jetons.jetons_de_mon_compte, name="liste"),
    path("mon-compte/jetons/<int:pk>/revoquer/", jetons.revoquer, name="revoquer"),
]
