"""Les réponses d'erreur de l'API : un objet JSON `{"detail": "…"}` en français, aussi pour
les refus des services (`noyau.erreurs`) et les 404 de Django."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException, NotFound
from rest_framework.views import exception_handler

from noyau.erreurs import Refus
from noyau.refus import statut_du_refus

INTROUVABLE = _("Aucun objet de ce type ne porte cet identifiant pour ce jeton.")


class RefusDuService(APIException):
    def __init__(self, refus):
        super().__init__(detail=refus.message)
        self.status_code = statut_du_refus(refus)


def gestionnaire_des_erreurs(exc, context):
    if isinstance(exc, Refus):
        exc = RefusDuService(exc)
    elif isinstance(exc, Http404):
        # Le message de Django nomme le modèle, en anglais (« No Appel matches… ») : celui de la
        # vue (`message_introuvable`) ou un message général le remplace.
        exc = NotFound(getattr(context.get("view"), "message_introuvable", INTROUVABLE))
    return exception_handler(exc, context)
