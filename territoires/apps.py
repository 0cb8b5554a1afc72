from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "territoires"
