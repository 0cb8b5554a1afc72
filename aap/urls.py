from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from aap import views

# The admin has no password form of its own: its login page sends to allauth's, which asks for
# the authenticator code when the account has one (a direct POST there logs no one in).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("sante/", views.sante, name="sante"),
    path("plancher/", views.plancher, name="plancher"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("tableau-de-bord/", views.tableau_de_bord, name="tableau_de_bord"),
    path("gestion/", views.accueil_gestion, name="accueil_gestion"),
    path("i18n/", include("comptes.urls_langue")),
    path("comptes/", include("allauth.urls")),
    path("", include("comptes.urls")),
    path("", include("candidatures.urls_invitations")),
    path("gestion/messages/", include("messagerie.urls")),
    path("", include("candidatures.urls")),
    path("", include("evaluation.urls")),
    path("", include("territoires.urls")),
    path("", include("relances.urls")),
    path("", include("accompagnement.urls")),
    path("", include("activite.urls")),
    path("", include("annotations.urls")),
    path("", include("echanges.urls")),
    path("", include("api.urls_compte")),
    path("api/v1/", include("api.urls")),
    path("", include("donnees_ouvertes.urls")),
    path("", include("crochets.urls")),
    path("", include("telechargements.urls")),
    path("admin/", admin.site.urls),
]

# No MEDIA URL, even in DEBUG: uploaded files are served only by views that check who asks.
