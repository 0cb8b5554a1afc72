from django.conf import settings
from django.shortcuts import render
from django.utils import translation

from comptes.middleware import langue_choisie


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
            limite_mo = settings.RELAIS_TAILLE_MAX_REQUETE // (1024 * 1024)
            # Refusée avant LangueChoisieMiddleware : la page prend elle-même la langue choisie.
            with translation.override(langue_choisie(request)):
                reponse = render(request, "413.html", {"limite_mo": limite_mo}, status=413)
            # Le corps n'est pas lu : la connexion ne peut pas resservir.
            reponse["Connection"] = "close"
            return reponse
        return self.get_response(request)
