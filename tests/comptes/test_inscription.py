import re

import pytest
from django.contrib.auth import get_user_model

from messagerie.models import Message

pytestmark = pytest.mark.django_db


def test_inscription_puis_verification_de_l_adresse(client):
    reponse = client.post(
        "/comptes/signup/",
        {
            "email": "ccas@houplines.test",
            "password1": "Ateliers-numeriques-2026",
            "password2": "Ateliers-numeriques-2026",
        },
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == "/comptes/confirm-email/"
    utilisateur = get_user_model().objects.get(email="ccas@houplines.test")
    assert utilisateur.roles == {"candidat"}
    assert utilisateur.emailaddress_set.get().verified is False

    message = Message.objects.get(destinataire="ccas@houplines.test")
    assert message.type == "compte_email_confirmation_signup"
    chemin = re.search(r"https?://[^/]+(/comptes/confirm-email/[^/\s]+/)", message.corps_texte)
    reponse = client.post(chemin.group(1))
    assert reponse.status_code == 302
    assert utilisateur.emailaddress_set.get().verified is True
    assert client.get("/tableau-de-bord/").status_code == 200


def test_connexion_refusee_tant_que_l_adresse_n_est_pas_verifiee(client):
    client.post(
        "/comptes/signup/",
        {
            "email": "ccas@leers.test",
            "password1": "Ateliers-numeriques-2026",
            "password2": "Ateliers-numeriques-2026",
        },
    )
    client.logout()
    reponse = client.post(
        "/comptes/login/", {"login": "ccas@leers.test", "password": "Ateliers-numeriques-2026"}
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == "/comptes/confirm-email/"
    assert client.get("/tableau-de-bord/").status_code == 302
