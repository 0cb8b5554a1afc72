"""Connexion : django-axes bloque après cinq mots de passe refusés, sur le formulaire d'allauth
(le seul : l'administration y renvoie), avec une page en français."""

import pytest
from axes.models import AccessAttempt

from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = pytest.mark.django_db


def _connexion(client, email, mot_de_passe):
    return client.post("/comptes/login/", {"login": email, "password": mot_de_passe})


def test_cinquieme_mot_de_passe_refuse_bloque_la_connexion(client):
    UtilisateurFactory(email="ccas@bloque.test")
    for _ in range(4):
        reponse = _connexion(client, "ccas@bloque.test", "pas-le-bon")
        assert reponse.status_code == 200
    reponse = _connexion(client, "CCAS@bloque.test", "pas-le-bon")
    assert reponse.status_code == 429
    contenu = reponse.content.decode()
    assert "Connexion bloquée pour un moment" in contenu
    assert "refusé 5 fois de suite" in contenu
    assert "pendant 15 minutes" in contenu
    # Même le bon mot de passe est refusé pendant le blocage.
    reponse = _connexion(client, "ccas@bloque.test", MOT_DE_PASSE)
    assert reponse.status_code == 429
    assert "_auth_user_id" not in client.session
    # La tentative pendant le blocage compte aussi (et relance le délai).
    tentative = AccessAttempt.objects.get()
    assert (tentative.username, tentative.failures_since_start) == ("ccas@bloque.test", 6)


def test_blocage_propre_a_l_adresse_et_a_l_ip(client):
    UtilisateurFactory(email="collegue@bloque.test")
    for _ in range(5):
        _connexion(client, "distrait@bloque.test", "pas-le-bon")
    # Un collègue du même bureau (même IP) se connecte toujours.
    reponse = _connexion(client, "collegue@bloque.test", MOT_DE_PASSE)
    assert reponse.status_code == 302
    assert client.session["_auth_user_id"]


def test_connexion_reussie_remet_le_compteur_a_zero(client):
    UtilisateurFactory(email="oubli@bloque.test")
    for _ in range(4):
        _connexion(client, "oubli@bloque.test", "pas-le-bon")
    assert _connexion(client, "oubli@bloque.test", MOT_DE_PASSE).status_code == 302
    assert AccessAttempt.objects.filter(username="oubli@bloque.test").exists() is False


def test_l_administration_se_connecte_par_le_formulaire_d_allauth_bloque_aussi(client):
    """L'administration n'a plus de formulaire à elle : même le bon mot de passe posté à
    /admin/login/ n'ouvre aucune session, et renvoie vers la connexion d'allauth (celle qui
    demande le code de l'application), où django-axes bloque comme ailleurs."""
    UtilisateurFactory(email="admin@bloque.test", is_staff=True, is_superuser=True)
    reponse = client.post(
        "/admin/login/?next=/admin/", {"username": "admin@bloque.test", "password": MOT_DE_PASSE}
    )
    assert (reponse.status_code, reponse["Location"]) == (302, "/comptes/login/?next=%2Fadmin%2F")
    assert "_auth_user_id" not in client.session
    statuts = [_connexion(client, "admin@bloque.test", "pas-le-bon").status_code for _ in range(5)]
    assert statuts == [200, 200, 200, 200, 429]
