from django.urls import path

from territoires.views import gestion, public

app_name = "territoires"

urlpatterns = [
    path("eligibilite/", public.eligibilite, name="eligibilite"),
    path("territoires/communes/", public.recherche_communes, name="recherche_communes"),
    path("gestion/territoires/", gestion.referentiel, name="referentiel"),
]
