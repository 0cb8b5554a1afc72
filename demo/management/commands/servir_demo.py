"""Le serveur web de `make run`, à l'adresse de SITE_URL : l'adresse affichée au lancement,
celle où le serveur écoute et celle des liens des courriels sont une seule et même adresse."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def adresse_d_ecoute(site_url):
    """« hôte:port » où écouter pour que SITE_URL mène à ce serveur."""
    adresse = urlsplit(site_url)
    port = adresse.port or (443 if adresse.scheme == "https" else 80)
    return f"{adresse.hostname}:{port}"


class Command(BaseCommand):
    help = "Sert Relais (serveur de développement) à l'adresse de SITE_URL."

    def handle(self, *args, **options):
        self.stdout.write(f"Relais : {settings.SITE_URL}")
        call_command("runserver", adresse_d_ecoute(settings.SITE_URL), use_reloader=False)
