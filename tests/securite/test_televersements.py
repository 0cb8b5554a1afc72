"""Fichiers déposés : borne de taille avant lecture du corps, fichiers jamais en mémoire
au-delà de 2,5 Mo, aucune URL publique des fichiers."""

import pytest
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    SimpleUploadedFile,
    TemporaryUploadedFile,
)
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

CINQUANTE_ET_UN_MO = 51 * 1024 * 1024


def test_requete_annoncee_trop_lourde_refusee_avant_lecture(client):
    reponse = client.generic(
        "POST",
        "/comptes/login/",
        b"login=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(CINQUANTE_ET_UN_MO),
    )
    assert reponse.status_code == 413
    assert reponse["Connection"] == "close"
    assert "dépassent 50 Mo : rien n'a été enregistré" in reponse.content.decode()


def test_requete_sous_la_limite_passe(client, settings):
    settings.RELAIS_TAILLE_MAX_REQUETE = 1024
    reponse = client.post("/comptes/login/", {"login": "a@exemple.test", "password": "x"})
    assert reponse.status_code == 200


def test_gros_fichier_ecrit_dans_un_fichier_temporaire_et_non_en_memoire(rf):
    trois_mo = SimpleUploadedFile("piece.pdf", b"%PDF-" + b"0" * (3 * 1024 * 1024))
    assert isinstance(rf.post("/", {"piece": trois_mo}).FILES["piece"], TemporaryUploadedFile)
    petit = SimpleUploadedFile("note.pdf", b"%PDF-1.7")
    assert isinstance(rf.post("/", {"piece": petit}).FILES["piece"], InMemoryUploadedFile)


@pytest.mark.parametrize("chemin", ["/media/candidatures/x.pdf", "/media/accompagnement/y.pdf"])
def test_aucune_url_publique_pour_les_fichiers(chemin):
    with pytest.raises(Resolver404):
        resolve(chemin)
