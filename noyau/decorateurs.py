from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

REFUS_PAR_DEFAUT = gettext_lazy("Vous n'avez pas accès à cette page avec votre compte.")


def permission_requise(permission, objet=None, refus=REFUS_PAR_DEFAUT):
    """Vérifie une permission django-rules, sur l'objet si `objet(request, **kwargs)` est donné.

    Anonyme : renvoi vers la connexion. Connecté sans la permission : 403 avec un message clair,
    `refus` quand la page a une raison plus précise à donner.
    """

    def decorateur(vue):
        @wraps(vue)
        def vue_protegee(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            cible = objet(request, *args, **kwargs) if objet else None
            if not request.user.has_perm(permission, cible):
                raise PermissionDenied(str(refus))
            return vue(request, *args, **kwargs)

        return vue_protegee

    return decorateur
