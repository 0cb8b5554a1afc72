"""Les limites de débit : par jeton (chaque jeton a la sienne, même à plusieurs par personne),
par adresse IP sans jeton. Lues dans les réglages à chaque requête (`RELAIS_API_LIMITES`)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from api.portee import jeton_de


class ParJeton(SimpleRateThrottle):
    def get_rate(self):
        return None

    def allow_request(self, request, view):
        jeton = jeton_de(request)
        self.scope = "jeton" if jeton else "anonyme"
        self.rate = settings.RELAIS_API_LIMITES[self.scope]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        jeton = jeton_de(request)
        identite = f"jeton-{jeton.pk}" if jeton else f"ip-{self.get_ident(request)}"
        return f"api:limite:{identite}"
