"""L'API se lit avec un jeton personnel (`Authorization: Bearer relais_…`) ou sans rien pour
ses points publics. Pas de session : un navigateur connecté n'en lit pas plus qu'un inconnu,
et le périmètre d'une requête est toujours celui d'un jeton."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import JetonAPI, empreinte

# La date du dernier usage n'est écrite qu'une fois par quart d'heure au plus.
PRECISION_DU_DERNIER_USAGE = datetime.timedelta(minutes=15)


class JetonPersonnel(authentication.BaseAuthentication):
    mot_cle = "Bearer"

    def authenticate(self, request):
        entete = authentication.get_authorization_header(request).split()
        if not entete or entete[0].lower() != self.mot_cle.lower().encode():
            return None
        if len(entete) != 2:
            raise exceptions.AuthenticationFailed(
                _(
                    "En-tête Authorization mal formé : écrivez « Bearer », une espace, "
                    "puis le jeton "
                    "(qui n'en contient aucune)."
                )
            )
        try:
            clair = entete[1].decode("ascii")
        except UnicodeDecodeError as erreur:
            raise exceptions.AuthenticationFailed(_("Jeton invalide.")) from erreur
        jeton = (
            JetonAPI.objects.select_related("utilisateur", "programme")
            .filter(empreinte=empreinte(clair))
            .first()
        )
        maintenant = timezone.now()
        if jeton is None or not jeton.utilisateur.is_active:
            raise exceptions.AuthenticationFailed(_("Jeton invalide."))
        if jeton.revoque_le is not None:
            raise exceptions.AuthenticationFailed(_("Ce jeton a été révoqué."))
        if jeton.expire_le <= maintenant:
            raise exceptions.AuthenticationFailed(_("Ce jeton a expiré."))
        if (
            jeton.dernier_usage_le is None
            or maintenant - jeton.dernier_usage_le > PRECISION_DU_DERNIER_USAGE
        ):
            JetonAPI.objects.filter(pk=jeton.pk).update(dernier_usage_le=maintenant)
        return jeton.utilisateur, jeton

    def authenticate_header(self, request):
        return f'{self.mot_cle} realm="api"'


class SchemaDuJeton(OpenApiAuthenticationExtension):
    target_class = "api.authentification.JetonPersonnel"
    name = "jetonPersonnel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "Jeton personnel créé dans « Mon compte » › « Jetons d'accès à l'API » ; "
                    "il lit ce qu'un seul programme montre à son titulaire."
                )
            ),
        }
