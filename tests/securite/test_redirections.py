"""Redirections ouvertes : une adresse de retour reçue d'une requête (champ `retour`, `next`)
ne mène jamais hors de Relais, ni ne s'affiche comme lien ; à sa place, une page sûre."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accompagnement.enums import TypeJalon
from accompagnement.models import Inscription
from noyau.redirections import adresse_de_retour
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de, plan_pour
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = pytest.mark.django_db

ADRESSES_HORS_DU_SITE = [
    "//evil.example/x",
    "https://evil.example",
    "/\\evil.example",
    "javascript:alert(document.domain)",
    "///evil.example",
    " //evil.example",
    "http://testserver@evil.example/",
]


@pytest.fixture(autouse=True)
def hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def membre():
    return UtilisateurFactory(candidat=True, email="ccas@houplines.test")


@pytest.fixture
def plan(membre):
    return plan_pour(structure__nom="CCAS de Houplines", structure__membres=[membre])


@pytest.fixture
def referent(plan):
    return ReferentFactory(structure=plan.structure, prenom="Amina", nom="Diallo")


def _session(plan, *, date=datetime.date(2030, 1, 15), capacite=12):
    return SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        date=date,
        capacite=capacite,
    )


def _inscrire(client, session, referent, retour):
    return client.post(
        reverse("accompagnement:inscrire", args=[session.pk]),
        {"referent": referent.pk, "retour": retour},
    )


# --- La fonction commune -------------------------------------------------------------------


@pytest.mark.parametrize("adresse", ADRESSES_HORS_DU_SITE)
def test_une_adresse_hors_du_site_donne_la_page_de_repli(adresse):
    requete = RequestFactory().post("/")

    assert adresse_de_retour(requete, adresse, repli="accompagnement:sessions") == (
        "/accompagnement/sessions/"
    )


@pytest.mark.parametrize(
    "adresse", ["/accompagnement/plans/4/referents/", "http://testserver/calendrier/"]
)
def test_une_adresse_du_site_est_gardee(adresse):
    requete = RequestFactory().post("/")

    assert adresse_de_retour(requete, adresse, repli="accompagnement:sessions") == adresse


def test_en_https_une_adresse_en_http_donne_la_page_de_repli():
    requete = RequestFactory().post("/", secure=True)

    assert (
        adresse_de_retour(requete, "http://testserver/calendrier/", repli="accompagnement:sessions")
        == "/accompagnement/sessions/"
    )
    assert (
        adresse_de_retour(
            requete, "https://testserver/calendrier/", repli="accompagnement:sessions"
        )
        == "https://testserver/calendrier/"
    )


@pytest.mark.parametrize("adresse", ["", None])
def test_sans_adresse_la_page_de_repli(adresse):
    requete = RequestFactory().post("/")

    assert adresse_de_retour(requete, adresse, repli="accompagnement:sessions") == (
        "/accompagnement/sessions/"
    )


# --- Inscription à une session -------------------------------------------------------------


@pytest.mark.parametrize("adresse", ADRESSES_HORS_DU_SITE)
def test_apres_l_inscription_une_adresse_hors_du_site_mene_aux_sessions(
    client, membre, plan, referent, adresse
):
    session = _session(plan)
    client.force_login(membre)

    reponse = _inscrire(client, session, referent, adresse)

    assert reponse.status_code == 302
    assert reponse["Location"] == "/accompagnement/sessions/"
    assert Inscription.objects.filter(session=session, referent=referent).count() == 1


def test_apres_l_inscription_la_page_des_referents_est_retrouvee(client, membre, plan, referent):
    session = _session(plan)
    client.force_login(membre)
    page_des_referents = reverse("accompagnement:referents", args=[plan.pk])

    reponse = _inscrire(client, session, referent, page_des_referents)

    assert reponse.status_code == 302
    assert reponse["Location"] == page_des_referents


@pytest.mark.parametrize("adresse", ADRESSES_HORS_DU_SITE)
def test_la_page_de_refus_n_affiche_jamais_l_adresse_hors_du_site(
    client, membre, plan, referent, adresse
):
    complete = _session(plan, capacite=0)
    client.force_login(membre)

    reponse = _inscrire(client, complete, referent, adresse)

    assert reponse.status_code == 409
    assert reponse.context["retour"] == "/accompagnement/sessions/"
    assert (
        '<p><a href="/accompagnement/sessions/">Voir les sessions de formation</a></p>'
        in reponse.text
    )
    assert "evil.example" not in reponse.text
    assert "javascript:" not in reponse.text
    assert Inscription.objects.count() == 0


def test_la_page_de_refus_ramene_a_la_page_des_referents(client, membre, plan, referent):
    complete = _session(plan, capacite=0)
    client.force_login(membre)
    page_des_referents = reverse("accompagnement:referents", args=[plan.pk])

    reponse = _inscrire(client, complete, referent, page_des_referents)

    assert reponse.status_code == 409
    assert f'<p><a href="{page_des_referents}">Revenir à la page précédente</a></p>' in reponse.text


# --- Les autres retours reçus d'une requête, déjà gardés par Django et allauth -------------


@pytest.mark.parametrize("adresse", ADRESSES_HORS_DU_SITE)
def test_la_connexion_ignore_un_next_hors_du_site(client, membre, adresse):
    reponse = client.post(
        reverse("account_login"),
        {"login": "ccas@houplines.test", "password": MOT_DE_PASSE, "next": adresse},
    )

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("tableau_de_bord")


@pytest.mark.parametrize("adresse", ADRESSES_HORS_DU_SITE)
def test_le_choix_de_la_langue_ignore_un_next_hors_du_site(client, adresse):
    reponse = client.post(reverse("set_language"), {"language": "en", "next": adresse})

    assert reponse.status_code == 302
    assert reponse["Location"] == "/"
