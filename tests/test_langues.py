import pytest

pytestmark = pytest.mark.django_db


def test_francais_par_defaut_meme_avec_un_navigateur_en_anglais(client):
    reponse = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fr">' in reponse.text
    assert "Aller au contenu" in reponse.text


def test_le_selecteur_passe_l_interface_en_anglais(client):
    reponse = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert reponse.status_code == 302
    reponse = client.get("/")
    assert '<html lang="en">' in reponse.text
    assert "Skip to content" in reponse.text
    assert "Relais: from the call for applications to self-reliant structures" in reponse.text


@pytest.mark.parametrize("langue", ["fr", "en"])
def test_chaque_langue_se_nomme_dans_sa_propre_langue(client, langue):
    client.post("/i18n/setlang/", {"language": langue, "next": "/"})

    reponse = client.get("/")

    assert '<option value="fr" lang="fr"' in reponse.text
    assert ">Français</option>" in reponse.text
    assert ">English</option>" in reponse.text
    assert ">Anglais</option>" not in reponse.text
