"""Un jeton pour un test : créé directement (sans le service, qui refuse un programme que la
personne ne lit pas), pour vérifier que même un tel jeton ne lit rien de plus."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from api.models import JetonAPI


def jeton_pour(utilisateur, programme, *, expire_dans=datetime.timedelta(days=30), nom="test"):
    return JetonAPI.objects.emettre(
        utilisateur=utilisateur,
        nom=nom,
        programme=programme,
        expire_le=timezone.now() + expire_dans,
    )


def client_api(clair=None):
    client = APIClient()
    if clair:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {clair}")
    return client
