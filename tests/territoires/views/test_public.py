import pytest
from django.urls import reverse

from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

URL = "/eligibilite/"


def test_les_adresses_publiques():
    assert (reverse("territoires:eligibilite"), reverse("territoires:recherche_communes")) == (
        "/eligibilite/",
        "/territoires/communes/",
    )


def test_la_page_s_ouvre_sans_compte_avec_le_champ_commune(client):
    reponse = client.get(URL)
    assert reponse.status_code == 200
    assert "<h1>Suis-je éligible&nbsp;?</h1>" in reponse.text
    assert 'for="id_commune" class="form-label requiredField"' in reponse.text
    assert 'id="id_commune">' in reponse.text
    assert 'data-communes-url="/territoires/communes/"' in reponse.text
    assert '<input type="hidden" name="commune_code" id="id_commune_code">' in reponse.text
    assert "territoires/autocompletion-communes.js" in reponse.text
    assert reponse.context["reponse"] is None


def test_une_commune_choisie_donne_sa_reponse_et_ses_raisons(client):
    reponse = client.get(URL, {"commune": "Houplines (59)", "commune_code": "59317"})
    assert reponse.status_code == 200
    assert reponse.context["reponse"].resultat == "eligible"
    assert "Houplines (59317) est éligible." in reponse.text
    assert "<li>Houplines (59317) : 7\u00a0921 habitants (INSEE 2023) &lt; 21\u00a0000</li>" in (
        reponse.text
    )
    assert "<li>Houplines (59317) : aucun QPV (liste 2024)</li>" in reponse.text
    assert f'href="{reverse("account_signup")}">Créer un compte et candidater</a>' in reponse.text


def test_un_nom_sans_ambiguite_suffit_sans_javascript(client):
    reponse = client.get(URL, {"commune": "faches thumesnil"})
    assert "Faches-Thumesnil (59220) n'est pas éligible." in reponse.text
    assert "QN05972M « Secteur Sud », intercommunal&nbsp;: Faches-Thumesnil (59220), " in (
        reponse.text
    )
    assert "Créer un compte et candidater" not in reponse.text


def test_des_homonymes_sont_proposes_en_liens(client):
    reponse = client.get(URL, {"commune": "Saint-Martin"})
    assert reponse.context["reponse"] is None
    assert "Plusieurs communes correspondent à « Saint-Martin » : choisissez la vôtre." in (
        reponse.text
    )
    assert "Quelle commune&nbsp;?" in reponse.text
    premiere = reponse.context["propositions"][0]
    assert (
        f'href="?commune=Saint-Martin+%28{premiere.departement}%29&amp;'
        f'commune_code={premiere.code_insee}"'
    ) in reponse.text


def test_une_personne_connectee_est_envoyee_vers_son_espace(client):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.get(URL, {"commune_code": "59339"})
    assert "Leers (59339) est éligible." in reponse.text
    assert "Aller à mon espace pour candidater" in reponse.text


def test_la_recherche_de_communes_en_json(client):
    reponse = client.get("/territoires/communes/", {"q": "houpl"})
    assert reponse.status_code == 200
    assert reponse["Cache-Control"] == "public, max-age=3600"
    assert reponse.json() == {
        "resultats": [
            {
                "code": "59317",
                "nom": "Houplines",
                "departement": "59",
                "libelle": "Houplines (59)",
                "population": 7921,
                "precision": "",
            },
            {
                "code": "59316",
                "nom": "Houplin-Ancoisne",
                "departement": "59",
                "libelle": "Houplin-Ancoisne (59)",
                "population": 3326,
                "precision": "",
            },
        ]
    }


def test_la_recherche_de_communes_une_requete(client, django_assert_num_queries):
    # Une requête pour les communes, une pour les communes rattachées, quel que soit le nombre.
    with django_assert_num_queries(2):
        client.get("/territoires/communes/", {"q": "saint"})
    assert len(client.get("/territoires/communes/", {"q": "saint"}).json()["resultats"]) == 10


def test_l_accueil_mene_a_la_page_d_eligibilite(client):
    assert 'href="/eligibilite/">Suis-je éligible ? Vérifiez la commune' in client.get("/").text


def test_sans_appel_ouvert_pas_de_choix_de_regles(client):
    assert "appel" not in client.get(URL).context["form"].fields


def test_un_appel_ouvert_est_propose_et_ses_regles_s_appliquent(client):
    from tests.candidatures.factories import AppelFactory

    appel = AppelFactory(ouvert=True, titre="Inclusion numérique MEL", slug="mel-2022")
    page = client.get(URL)
    assert page.context["form"]["appel"].value() == "mel-2022"
    assert '<option value="mel-2022" selected>Appel « Inclusion numérique MEL »</option>' in (
        page.text
    )

    # Ablainzevelle (62002) remplit les règles générales mais n'est pas dans la métropole.
    avec_l_appel = client.get(URL, {"commune_code": "62002", "appel": "mel-2022"})
    sans_appel = client.get(URL, {"commune_code": "62002", "appel": ""})

    assert avec_l_appel.context["reponse"].resultat == "non_eligible"
    assert avec_l_appel.context["reponse"].raisons[0] == (
        "Ablainzevelle (62002) : hors du périmètre de l'appel (Métropole Européenne de Lille)"
    )
    assert f'Règles de l\'appel « <a href="/appels/{appel.slug}/">' in avec_l_appel.text
    assert sans_appel.context["reponse"].resultat == "eligible"
    assert "Règles générales." in sans_appel.text


def test_une_commune_associee_dit_de_quelle_commune_elle_prend_l_eligibilite(client):
    reponse = client.get(URL, {"commune": "Lomme", "commune_code": ""})
    assert reponse.status_code == 200
    assert (
        "Lomme est une commune associée de Lille : l&#x27;éligibilité est celle de Lille."
        in reponse.content.decode()
    )
    assert "Lille (59350) n'est pas éligible." in reponse.content.decode()


def test_la_recherche_de_communes_propose_les_communes_rattachees(client):
    reponse = client.get("/territoires/communes/", {"q": "lomme"})
    assert reponse.json()["resultats"][0] == {
        "code": "59355",
        "nom": "Lomme",
        "departement": "59",
        "libelle": "Lomme (59)",
        "population": None,
        "precision": "commune associée de Lille",
    }


def test_une_commune_introuvable_annonce_l_erreur_dans_le_titre_et_le_resume(client):
    reponse = client.get(URL, {"commune": "Zzzville", "commune_code": ""})
    page = reponse.content.decode()
    assert "<title>Erreur : Suis-je éligible&nbsp;? — Relais</title>" in page
    assert (
        '<a href="#id_commune" class="alert-link">Commune de votre structure : '
        "Aucune commune ne correspond à « Zzzville ».</a>"
    ) in page
    assert 'aria-invalid="true"' in page
