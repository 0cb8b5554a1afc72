"""Les intergiciels du compte : l'utilisateur de la session, la langue choisie et la double
authentification."""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import urlencode
from django.utils.translation import gettext

from comptes import double_authentification as mfa


def langue_choisie(request):
    """La langue choisie avec le sélecteur (son cookie), sinon le français."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    return code


class LangueChoisieMiddleware(LocaleMiddleware):
    """Le français d'abord : l'anglais seulement quand la personne l'a choisi (sélecteur de
    langue, qui pose le cookie), jamais d'après la langue du navigateur, car nos usagers ont
    souvent des postes configurés en anglais sans le lire."""

    def process_request(self, request):
        translation.activate(langue_choisie(request))
        request.LANGUAGE_CODE = translation.get_language()


def utilisateur_de_la_session(request):
    """L'utilisateur de Django (`auth.get_user` : session, ligne du compte, empreinte du mot de
    passe), et une vérification de plus quand la session a été lue dans le cache : son
    estampille doit être la génération des sessions du compte (comptes.sessions). Sinon la
    session est relue en base, qui fait foi, et l'utilisateur réévalué."""
    utilisateur = auth.get_user(request)
    session = request.session
    estampille_valable = getattr(session, "estampille_valable", None)
    if estampille_valable is not None and not estampille_valable(utilisateur):
        session.relire_en_base()
        utilisateur = auth.get_user(request)
        estampille_valable(utilisateur)
    return utilisateur


class AuthentificationMiddleware(AuthenticationMiddleware):
    """AuthenticationMiddleware de Django, avec `utilisateur_de_la_session`."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: utilisateur_de_la_session(request))

        def evaluer():
            if request.user._wrapped is empty:  # une fois par requête, pour les deux
                request.user._setup()
            return request.user._wrapped

        async def auser():
            return await sync_to_async(evaluer)()

        request.auser = auser


class DoubleAuthentificationMiddleware:
    """Gestionnaires, membres du personnel et superutilisateurs voient les données de toutes les
    candidatures (et, pour les derniers, tous les courriels, liens de réinitialisation compris) :
    sur toutes les pages, administration comprise, leur session doit avoir saisi le code de leur
    application d'authentification (TOTP).

    - sans application enregistrée : renvoi vers la page qui l'active ;
    - avec une application mais une session qui n'a pas saisi de code (mot de passe seul,
      session ouverte autrement que par la connexion) : renvoi vers la saisie du code.

    Actif quand MFA_OBLIGATOIRE_GESTIONNAIRES est vrai (par défaut hors DEBUG). Laissent passer :
    les pages qui mènent au code (activation, réauthentification, saisie du code), la
    déconnexion, le choix de la langue, les fichiers statiques et la sonde /sante/.

    Coût : aucune requête pour une session qui a saisi le code (notes de session d'allauth) et
    pour les autres comptes (rôles lus sur la ligne du compte, `noms_des_groupes`) ; une
    (l'application enregistrée) pour un compte privilégié renvoyé.
    """

    PAGES_COMMUNES = (
        "account_logout",
        "admin:logout",
        "set_language",
        "sante",
    )
    PAGES_ACTIVATION = (
        *PAGES_COMMUNES,
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "account_reauthenticate",
    )
    PAGES_SECOND_FACTEUR = (
        *PAGES_COMMUNES,
        "mfa_reauthenticate",
        "mfa_authenticate",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_OBLIGATOIRE_GESTIONNAIRES:
            reponse = self._renvoi(request)
            if reponse is not None:
                return reponse
        return self.get_response(request)

    def _renvoi(self, request):
        utilisateur = request.user
        if not utilisateur.is_authenticated or mfa.session_a_passe_le_second_facteur(request):
            return None
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        try:
            page = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if not mfa.est_privilegie(utilisateur):
            return None
        if not mfa.a_une_application(utilisateur):
            if page in self.PAGES_ACTIVATION:
                return None
            messages.info(
                request,
                gettext(
                    "Votre compte donne accès aux données de toutes les candidatures : activez "
                    "la double authentification avec une application (par exemple FreeOTP, "
                    "Aegis ou Google Authenticator) pour continuer."
                ),
            )
            return redirect("mfa_activate_totp")
        if page in self.PAGES_SECOND_FACTEUR:
            return None
        messages.info(
            request,
            gettext(
                "Votre compte donne accès aux données de toutes les candidatures : pour "
                "continuer, saisissez le code de votre application d'authentification."
            ),
        )
        suivant = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{suivant}")
