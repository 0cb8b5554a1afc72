from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LangueChoisieMiddleware(LocaleMiddleware):
    """Le français d'abord : l'anglais seulement quand la personne l'a choisi (sélecteur de
    langue, qui pose le cookie), jamais d'après la langue du navigateur, car nos usagers ont
    souvent des postes configurés en anglais sans le lire."""

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
