from django.urls import path

from comptes import views

urlpatterns = [
    path("invitation/<str:jeton>/", views.accepter_invitation, name="invitation_accepter"),
    path("mon-compte/", views.mon_compte, name="mon_compte"),
    path("mon-compte/mes-donnees/", views.exporter_mes_donnees, name="exporter_mes_donnees"),
    path("mon-compte/supprimer/", views.supprimer_mon_compte, name="supprimer_mon_compte"),
]
