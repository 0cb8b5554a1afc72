from django.urls import path

from comptes.langue import choisir_langue

urlpatterns = [
    path("setlang/", choisir_langue, name="set_language"),
]
