from django.urls import path

app_name = "activite"

urlpatterns: list = []
