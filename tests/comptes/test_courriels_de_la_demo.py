"""Une adresse se confirme dans la démo : le courriel de confirmation nomme Relais et son
domaine, et, sans EMAIL_URL, s'écrit lisiblement dans la console de `make run`, lien compris
(issue #15, point 26)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from messagerie import services as messagerie
from messagerie.models import Message

RACINE = Path(__file__).resolve().parent.parent.parent
MOT_DE_PASSE = "Ateliers-numeriques-2026"


def _inscription(client):
    reponse = client.post(
        "/comptes/signup/",
        {"email": "ccas@houplines.test", "password1": MOT_DE_PASSE, "password2": MOT_DE_PASSE},
    )
    assert reponse.status_code == 302
    return Message.objects.get(destinataire="ccas@houplines.test")


@pytest.mark.django_db
def test_courriel_de_confirmation_nomme_relais_et_son_domaine(client, settings):
    settings.SITE_URL = "https://relais.exemple.fr"

    message = _inscription(client)

    lignes = message.corps_texte.strip().splitlines()
    assert lignes[0] == "Bonjour, c'est Relais !"
    assert lignes[-2:] == ["Merci d'utiliser Relais !", "relais.exemple.fr"]


@pytest.mark.django_db
def test_sans_email_url_le_courriel_s_ecrit_dans_la_console_avec_son_lien(client, settings, capfd):
    settings.EMAIL_BACKEND = "aap.courriels_console.EmailBackend"
    message = _inscription(client)
    capfd.readouterr()

    messagerie.envoyer(message.pk)

    console = capfd.readouterr().out
    assert "À : ccas@houplines.test" in console
    assert "Objet : [Relais] Confirmez votre adresse e-mail" in console
    lien = re.search(r"https?://testserver(/comptes/confirm-email/[^/\s]+/)", console)
    assert client.post(lien.group(1)).status_code == 302
    utilisateur = get_user_model().objects.get(email="ccas@houplines.test")
    assert utilisateur.emailaddress_set.get().verified is True


LIRE_FACTEUR = """
import django
django.setup()
from django.conf import settings
print(settings.EMAIL_BACKEND)
"""


def _facteur(**variables):
    env = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "DEBUG", "SECRET_KEY")}
    env.update(variables, DJANGO_SETTINGS_MODULE="aap.settings")
    sortie = subprocess.run(
        [sys.executable, "-c", LIRE_FACTEUR],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return sortie.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("variables", "facteur"),
    [
        ({"DEBUG": "1"}, "aap.courriels_console.EmailBackend"),
        (
            {"DEBUG": "1", "EMAIL_URL": "smtp://smtp.exemple.fr:587"},
            "django.core.mail.backends.smtp.EmailBackend",
        ),
        ({"SECRET_KEY": "x" * 50}, "django.core.mail.backends.dummy.EmailBackend"),
    ],
    ids=json.dumps,
)
def test_facteur_par_defaut_de_la_demo(variables, facteur):
    assert _facteur(**variables) == facteur
