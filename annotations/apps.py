from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    """Les notes privées et les étiquettes des gestionnaires (et des coachs)."""

    name = "annotations"
    verbose_name = "Notes et étiquettes"
