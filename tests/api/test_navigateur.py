"""Parcours dans Chromium : la gestionnaire, depuis « Mon compte », crée un jeton pour son
programme, le copie, lit par l'API le brouillon d'appel de son programme, puis révoque le jeton,
qui ne lit plus rien ; la documentation de l'API se lit en français. axe à chaque page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from api.models import JetonAPI
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_la_gestionnaire_cree_un_jeton_lit_l_api_puis_le_revoque(
    page, live_server, verifier_accessibilite
):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    programme = ProgrammeFactory(nom="Inclusion MEL", gestionnaires=[gestionnaire])
    brouillon = AppelFactory(programme=programme, titre="AMI 2028 (brouillon)")
    expiration = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(live_server.url + "/gestion/")
    page.get_by_role("link", name="Mon compte").first.click()
    page.get_by_role("link", name="Jetons d'accès à l'API").click()
    verifier_accessibilite(page)
    page.get_by_label("Nom du jeton").fill("Tableau de bord régional")
    page.get_by_label("Programme").select_option(label="Inclusion MEL")
    page.get_by_label("Expire le").fill(expiration)
    page.get_by_role("button", name="Créer le jeton").click()

    expect(
        page.get_by_text("Copiez-le maintenant : il ne sera plus jamais affiché.")
    ).to_be_visible()
    verifier_accessibilite(page)
    clair = page.get_by_label("Votre jeton").input_value()
    jeton = JetonAPI.objects.get()
    assert clair.startswith(jeton.prefixe)
    assert timezone.localtime(jeton.expire_le).date().isoformat() == expiration

    lecture = page.request.get(
        live_server.url + "/api/v1/appels/", headers={"Authorization": f"Bearer {clair}"}
    )
    assert lecture.status == 200
    assert [a["titre"] for a in lecture.json()["results"]] == [brouillon.titre]

    page.reload()
    expect(page.get_by_label("Votre jeton")).to_have_count(0)
    page.get_by_role("button", name="Révoquer « Tableau de bord régional »").click()
    expect(
        page.get_by_text("Le jeton « Tableau de bord régional » est révoqué : il ne lit plus rien.")
    ).to_be_visible()
    refus = page.request.get(
        live_server.url + "/api/v1/appels/", headers={"Authorization": f"Bearer {clair}"}
    )
    assert (refus.status, refus.json()) == (401, {"detail": "Ce jeton a été révoqué."})

    page.goto(live_server.url + "/api/v1/")
    expect(page.get_by_role("heading", name="Jetons et périmètre")).to_be_visible()
    verifier_accessibilite(page)
