from django.urls import path

from comptes import views

urlpatterns = [
    path("gestion/invitations/", views.invitations, name="invitations"),
    path("invitation/<str:jeton>/", views.accepter_invitation, name="invitation_accepter"),
]
