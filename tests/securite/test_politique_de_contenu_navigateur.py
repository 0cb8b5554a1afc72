"""La politique de contenu vue par Chromium : chaque rôle de la démo parcourt son espace (sa page
d'accueil et chaque page qu'elle lie), l'administration aussi, sans qu'aucun style ni script ne
soit refusé. Un style="" oublié dans un gabarit serait bloqué (le texte perdrait ses retours à
la ligne) : Chromium le signale dans sa console, et ce test échoue en nommant la page."""

from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

from demo.comptes_demo import COMPTES_DEMO, MOT_DE_PASSE_DEMO
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Ce qui n'est pas une page : téléchargements, déconnexion (elle finirait le parcours), et les
# liens qui sortent du site.
A_NE_PAS_SUIVRE = ("/comptes/logout/", "/i18n/", "/media/")
EXTENSIONS_TELECHARGEES = (".pdf", ".xlsx", ".csv", ".ics", ".json", ".zip", ".odt", ".docx")


def _liens_internes(page, base):
    liens = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    retenus = []
    for lien in liens:
        adresse = urljoin(page.url, lien).split("#")[0]
        chemin = urlparse(adresse).path
        if not adresse.startswith(base) or chemin.startswith(A_NE_PAS_SUIVRE):
            continue
        if chemin.endswith(EXTENSIONS_TELECHARGEES) or "telecharger" in chemin:
            continue
        if adresse not in retenus:
            retenus.append(adresse)
    return retenus


def _se_connecter(page, base, email, mot_de_passe):
    page.context.clear_cookies()
    page.goto(base + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(mot_de_passe)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()


def _parcourir(page, base, depart, refus, visitees):
    """La page de départ et chaque page qu'elle lie (un niveau), en notant les refus."""
    page.goto(depart)
    a_visiter = [page.url, *_liens_internes(page, base)]
    for adresse in a_visiter:
        if adresse in visitees:
            continue
        visitees.add(adresse)
        page.goto(adresse)
        page.wait_for_load_state()
    return refus


def test_aucune_page_ne_se_voit_refuser_un_style_ou_un_script(page, live_server):
    call_command("seed_demo", stdout=None)
    UtilisateurFactory(
        email="admin@exemple.test", is_staff=True, is_superuser=True, first_name="Ada"
    )
    base = live_server.url
    refus = []
    page.on(
        "console",
        lambda message: (
            refus.append(f"{page.url} : {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    visitees = set()
    for email, _prenom, _nom, _role in COMPTES_DEMO:
        _se_connecter(page, base, email, MOT_DE_PASSE_DEMO)
        _parcourir(page, base, base + "/tableau-de-bord/", refus, visitees)

    _se_connecter(page, base, "admin@exemple.test", MOT_DE_PASSE)
    _parcourir(page, base, base + "/admin/", refus, visitees)

    assert refus == []
    # The walk really went somewhere: each role's home and what it links to.
    assert len(visitees) > 60
