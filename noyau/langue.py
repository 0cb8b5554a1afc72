"""La langue d'une personne la suit : le choix fait dans l'en-tête est gardé sur son compte,
et sa connexion lui rend cette langue (le cookie que lit aap.middleware.LangueChoisieMiddleware).
Les visiteurs sans compte gardent le seul cookie."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.views.i18n import set_language

# La clé de session de la langue choisie par un visiteur, avant sa connexion.
LANGUE_CHOISIE = "relais:langue_choisie"


def langue_valable(code):
    """Le code s'il fait partie de LANGUAGES, sinon None."""
    return code if code in dict(settings.LANGUAGES) else None


def langue_courante():
    """La langue active si elle fait partie de LANGUAGES, sinon la langue par défaut."""
    return langue_valable(translation.get_language()) or settings.LANGUAGE_CODE


def langue_du_destinataire(*, destinataire=None, utilisateur=None):
    """La langue dans laquelle écrire à une personne : celle de son compte (`utilisateur`, ou le
    compte dont l'adresse est `destinataire`), sinon la langue par défaut du site."""
    if utilisateur is None and destinataire:
        utilisateur = (
            get_user_model().objects.filter(email__iexact=destinataire).only("langue").first()
        )
    if utilisateur is not None:
        return langue_valable(utilisateur.langue) or settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def poser_le_cookie(reponse, code):
    reponse.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return reponse


def choisir_langue(request):
    """Le sélecteur de langue de l'en-tête : la vue de Django (cookie, retour à la page), et,
    pour une personne connectée, la langue gardée sur son compte."""
    reponse = set_language(request)
    code = langue_valable(request.POST.get("language"))
    utilisateur = request.user
    if code and utilisateur.is_authenticated and utilisateur.langue != code:
        utilisateur.langue = code
        get_user_model().objects.filter(pk=utilisateur.pk).update(langue=code)
    elif code and not utilisateur.is_authenticated:
        # Choisie pendant cette visite, avant de se connecter : la connexion la gardera.
        request.session[LANGUE_CHOISIE] = code
    return reponse


def langue_a_la_connexion(request, utilisateur):
    """La langue de la personne qui vient de se connecter : celle qu'elle a choisie pendant
    cette visite avant de se connecter (gardée alors sur son compte), sinon celle de son compte.
    Le cookie seul ne compte pas : sur un poste partagé, il peut venir de la personne d'avant."""
    choisie = langue_valable(request.session.pop(LANGUE_CHOISIE, None))
    if choisie and choisie != utilisateur.langue:
        utilisateur.langue = choisie
        get_user_model().objects.filter(pk=utilisateur.pk).update(langue=choisie)
    return langue_du_destinataire(utilisateur=utilisateur)
