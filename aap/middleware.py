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


class DoubleAuthentificationGestionnairesMiddleware:
    """Un gestionnaire voit toutes les candidatures d'un programme : sans application
    d'authentification (TOTP) enregistrée, il est renvoyé vers la page qui l'active.

    Actif quand MFA_OBLIGATOIRE_GESTIONNAIRES est vrai (par défaut hors DEBUG). Laissent passer :
    l'activation elle-même et la réauthentification qu'elle demande, la déconnexion, le choix
    de la langue, les fichiers statiques et la sonde /sante/.
    """

    PAGES_PERMISES = (
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "sante",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_OBLIGATOIRE_GESTIONNAIRES and self._doit_activer(request):
            from django.contrib import messages
            from django.shortcuts import redirect

            messages.info(
                request,
                "Votre compte de gestionnaire donne accès aux données de toutes les "
                "candidatures : activez la double authentification avec une application "
                "(par exemple FreeOTP, Aegis ou Google Authenticator) pour continuer.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _doit_activer(self, request):
        from allauth.mfa.models import Authenticator
        from django.urls import Resolver404, resolve

        from comptes.enums import Role

        utilisateur = request.user
        if not utilisateur.is_authenticated:
            return False
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return False
        try:
            if resolve(request.path_info).url_name in self.PAGES_PERMISES:
                return False
        except Resolver404:
            return False
        if not utilisateur.groups.filter(name=Role.GESTIONNAIRE).exists():
            return False
        return not Authenticator.objects.filter(
            user=utilisateur, type=Authenticator.Type.TOTP
        ).exists()


class TailleMaximaleRequeteMiddleware:
    """Refuse (413) une requête annoncée plus lourde que RELAIS_TAILLE_MAX_REQUETE avant d'en
    lire le corps : Django ne borne que les champs hors fichiers (DATA_UPLOAD_MAX_MEMORY_SIZE),
    et les fichiers partiraient sinon en entier dans un fichier temporaire avant le contrôle de
    taille de chaque pièce. Le proxy devant Relais devrait porter la même limite."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            annoncee = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            annoncee = 0
        if annoncee > settings.RELAIS_TAILLE_MAX_REQUETE:
            from django.shortcuts import render

            limite_mo = settings.RELAIS_TAILLE_MAX_REQUETE // (1024 * 1024)
            reponse = render(request, "413.html", {"limite_mo": limite_mo}, status=413)
            # Le corps n'est pas lu : la connexion ne peut pas resservir.
            reponse["Connection"] = "close"
            return reponse
        return self.get_response(request)
