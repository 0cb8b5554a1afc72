"""Liens signés des courriels.

Choix : le lien de désabonnement n'expire pas. Il ne fait que retirer une relance non
essentielle à son propre destinataire, après un clic de confirmation (POST) ; une personne qui
ouvre un vieux courriel pour ne plus en recevoir doit y arriver. Il reste signé (sel propre)
et ne vaut que pour l'utilisateur et le type qu'il nomme. Les invitations, elles, donnent un
compte : jeton aléatoire dont seule l'empreinte est gardée, usage unique, 7 jours
(tests/comptes/test_invitations.py).
"""

import time
from unittest import mock

import pytest
from django.core import signing

from relances import services
from relances.models import PreferencesRelances
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

TROIS_ANS = 3 * 365 * 24 * 3600


def test_un_lien_de_desabonnement_de_trois_ans_marche_encore(client):
    utilisateur = UtilisateurFactory(gestionnaire=True)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - TROIS_ANS):
        chemin = services.lien_desabonnement(utilisateur, "invitation_sans_reponse")
    assert client.post(chemin).status_code == 200
    assert PreferencesRelances.objects.get(utilisateur=utilisateur).types_desactives == [
        "invitation_sans_reponse"
    ]


def test_un_lien_de_desabonnement_ne_se_fabrique_pas_pour_un_autre(client):
    victime = UtilisateurFactory(gestionnaire=True)
    moi = UtilisateurFactory(gestionnaire=True)
    chemin = services.lien_desabonnement(moi, "invitation_sans_reponse")
    jeton = chemin.rstrip("/").rsplit("/", 1)[1]
    charge = jeton.split(":", 1)[0]
    autre_charge = signing.dumps({"u": victime.pk, "t": "invitation_sans_reponse"}).split(":")[0]
    reponse = client.post(chemin.replace(charge, autre_charge))
    assert reponse.status_code == 400
    assert PreferencesRelances.objects.exists() is False
