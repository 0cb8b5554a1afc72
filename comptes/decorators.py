from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_requise(permission, objet=None):
    """Vérifie une permission django-rules, sur l'objet si `objet(request, **kwargs)` est donné.

    Anonyme : renvoi vers la connexion. Connecté sans la permission : 403 avec un message clair.
    """

    def decorateur(vue):
        @wraps(vue)
        def vue_protegee(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            cible = objet(request, *args, **kwargs) if objet else None
            if not request.user.has_perm(permission, cible):
                raise PermissionDenied("Vous n'avez pas accès à cette page avec votre compte.")
            return vue(request, *args, **kwargs)

        return vue_protegee

    return decorateur
