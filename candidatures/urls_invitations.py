"""Les adresses de la page des invitations, sans espace de noms (leurs noms datent du temps où
elles étaient dans comptes)."""

from django.urls import path

from candidatures.views import invitations

urlpatterns = [
    path("gestion/invitations/", invitations.invitations, name="invitations"),
    path(
        "gestion/invitations/structure/",
        invitations.invitation_dans_une_structure,
        name="invitation_dans_une_structure",
    ),
]
