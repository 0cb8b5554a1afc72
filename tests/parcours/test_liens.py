"""Chaque rôle suit tous les liens de son espace : aucune réponse 500.

Le client de test de Django suffit ici (on suit des liens, sans JavaScript) ; la démo est
chargée une fois pour le module, dans une transaction annulée à la fin."""

import pytest
from django.db import transaction

from tests.parcours.conftest import COMPTES, charger_demo
from tests.parcours.visite import visiter

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        comptes = charger_demo()
        yield comptes
        transaction.set_rollback(True)


@pytest.mark.parametrize("role", list(COMPTES))
def test_chaque_lien_de_l_espace_repond_sans_erreur_serveur(demo, client, role):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(email=demo[role]))
    visite = visiter(client)

    assert visite.erreurs == [], visite.rapport(role)
    # La visite est allée au-delà de l'accueil : sinon elle ne prouverait rien.
    assert len(visite.pages) > 5, visite.pages


def _phrases_francaises():
    """Les phrases de l'interface qui changent en anglais (au moins trois mots, sans variable
    ni balise) : en trouver une sur une page anglaise, c'est un texte resté en français."""
    from django.conf import settings

    from aap.textes_a_traduire import lire_po

    po = settings.BASE_DIR / "locale/en/LC_MESSAGES/django.po"
    return {
        entree["msgid"]
        for entree in lire_po(po)
        if len(entree["msgid"].split()) >= 3
        and not any(signe in entree["msgid"] for signe in ("%(", "{", "<", "\n"))
        and entree["msgstr"][0] != entree["msgid"]
    }


@pytest.mark.parametrize("role", list(COMPTES))
def test_en_anglais_chaque_page_de_l_espace_est_en_anglais(demo, client, role):
    import html as html_module

    from django.contrib.auth import get_user_model

    phrases = _phrases_francaises()

    def controle(adresse, html):
        texte = " ".join(html_module.unescape(html).split())
        return sorted(phrase for phrase in phrases if phrase in texte)

    client.force_login(get_user_model().objects.get(email=demo[role]))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    visite = visiter(client, controle=controle)

    assert visite.erreurs == [], visite.rapport(role)
    assert len(visite.pages) > 5, visite.pages
    assert visite.remarques == []
