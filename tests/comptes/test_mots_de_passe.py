"""Les validateurs de mot de passe de Django s'appliquent à l'inscription."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("mot_de_passe", "message"),
    [
        ("Atelier-2026", None),
        (
            "Atelier-202",
            "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères.",
        ),
        ("qwerty123456", "Ce mot de passe est trop courant."),
        ("481516234290", "Ce mot de passe est entièrement numérique."),
        (
            "exemple.ccas-houplines",
            "Le mot de passe est trop semblable au champ «\xa0adresse électronique\xa0».",
        ),
    ],
)
def test_mot_de_passe_a_l_inscription_douze_caracteres_ni_courant_ni_proche_de_l_adresse(
    client, mot_de_passe, message
):
    reponse = client.post(
        "/comptes/signup/",
        {
            "email": "ccas-houplines@exemple.test",
            "password1": mot_de_passe,
            "password2": mot_de_passe,
        },
    )
    cree = get_user_model().objects.filter(email="ccas-houplines@exemple.test").exists()
    if message is None:
        assert (reponse.status_code, cree) == (302, True)
    else:
        assert (reponse.status_code, cree) == (200, False)
        assert message in reponse.content.decode()
