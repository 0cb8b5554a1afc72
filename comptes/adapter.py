from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation

from comptes import double_authentification
from comptes.notifications import code_du_courriel_de_compte
from messagerie.services import deposer_courriel
from noyau.langue import (
    langue_a_la_connexion,
    langue_courante,
    langue_du_destinataire,
    poser_le_cookie,
)
from noyau.roles import Role


@dataclass(frozen=True)
class SiteRelais:
    """Ce que les gabarits d'allauth nomment « le site » (sans django.contrib.sites) : le nom
    de l'application et le domaine de son adresse publique, SITE_URL."""

    name: str
    domain: str

    @classmethod
    def courant(cls):
        return cls(name="Relais", domain=urlsplit(settings.SITE_URL).netloc)


class AdaptateurComptes(DefaultAccountAdapter):
    """Les courriels d'allauth passent par la boîte d'envoi ; l'inscription crée une structure
    candidate (les autres rôles arrivent sur invitation)."""

    def send_mail(self, template_prefix, email, context):
        # Le contexte que les gabarits d'allauth attendent (« Bonjour, c'est Relais ! … »).
        contexte = {
            "request": self.request,
            "email": email,
            "current_site": SiteRelais.courant(),
            **context,
        }
        # Dans la langue du compte qui reçoit, pas dans celle de la requête qui l'envoie.
        langue = langue_du_destinataire(destinataire=email, utilisateur=context.get("user"))
        with translation.override(langue):
            courriel = self.render_mail(template_prefix, email, contexte)
        # Un courriel du catalogue (comptes.notifications), sous le code de son gabarit.
        deposer_courriel(
            courriel,
            type_message=code_du_courriel_de_compte(template_prefix),
            utilisateur=context.get("user"),
        )

    def save_user(self, request, user, form, commit=True):
        # Le compte garde la langue dans laquelle la personne s'est inscrite.
        user.langue = langue_courante()
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            groupe, _ = Group.objects.get_or_create(name=Role.CANDIDAT)
            user.groups.add(groupe)
        return user

    def post_login(self, request, user, **kwargs):
        """La connexion garde la langue choisie sur la page de connexion, sinon rend à la
        personne celle de son compte, quel que soit le cookie du poste (`langue_a_la_connexion`)."""
        reponse = super().post_login(request, user, **kwargs)
        return poser_le_cookie(reponse, langue_a_la_connexion(request, user))

    def get_reauthentication_methods(self, user):
        """Un compte privilégié dont la session n'a pas encore saisi le code de son application
        ne se voit pas proposer le mot de passe à la place : il ne lui ouvrirait rien
        (aap.middleware.DoubleAuthentificationMiddleware)."""
        methodes = super().get_reauthentication_methods(user)
        ids = {methode["id"] for methode in methodes}
        if (
            settings.MFA_OBLIGATOIRE_GESTIONNAIRES
            and self.request is not None
            and {"reauthenticate", "mfa_reauthenticate"} <= ids
            and not double_authentification.session_a_passe_le_second_facteur(self.request)
            and double_authentification.est_privilegie(user)
        ):
            methodes = [methode for methode in methodes if methode["id"] != "reauthenticate"]
        return methodes
