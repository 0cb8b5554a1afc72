"""Chaque rôle suit tous les liens de son espace : aucune réponse 500.

Le client de test de Django suffit ici (on suit des liens, sans JavaScript) ; la démo est
chargée une fois pour le module, dans une transaction annulée à la fin."""

import re

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
    ni balise) : en trouver une sur une page anglaise, c'est un texte resté en français.

    Sauf celles que le modèle d'accompagnement par défaut copie dans les plans : l'intitulé d'un
    jalon est une donnée du programme, que ses gestionnaires écrivent (en français)."""
    from django.conf import settings

    from aap.textes_a_traduire import lire_po
    from accompagnement import modele_par_defaut

    donnees = {
        str(valeur)
        for liste in (
            modele_par_defaut.JALONS,
            modele_par_defaut.FORMATIONS,
            modele_par_defaut.KITS,
        )
        for element in liste
        for valeur in element
    }
    po = settings.BASE_DIR / "locale/en/LC_MESSAGES/django.po"
    return {
        entree["msgid"]
        for entree in lire_po(po)
        if len(entree["msgid"].split()) >= 3
        and not any(signe in entree["msgid"] for signe in ("%(", "{", "<", "\n"))
        and entree["msgstr"][0] != entree["msgid"]
        and entree["msgid"] not in donnees
    }


# Ce qu'une page montre de ce qui a été écrit ou envoyé (le sujet et le corps d'un courriel
# envoyé en français) est marqué `translate="no"` : ce n'est pas l'interface. Une donnée publiée
# en français à dessein (le descripteur d'un jeu de données ouvertes) est déclarée `lang="fr"`.
_CONTENU = re.compile(r'<(\w+)[^>]*\b(?:translate="no"|lang="fr")[^>]*>.*?</\1>', re.S)
_PRINCIPAL = re.compile(r"<main\b.*?</main>", re.S)


@pytest.mark.parametrize("role", list(COMPTES))
def test_en_anglais_chaque_page_de_l_espace_est_en_anglais(demo, client, role):
    import html as html_module

    from django.contrib.auth import get_user_model

    phrases = _phrases_francaises()

    def controle(adresse, html):
        principal = _PRINCIPAL.search(html)
        html = _CONTENU.sub(" ", principal[0] if principal else html)
        texte = " ".join(html_module.unescape(html).split())
        return sorted(phrase for phrase in phrases if phrase in texte)

    client.force_login(get_user_model().objects.get(email=demo[role]))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    visite = visiter(client, controle=controle)

    assert visite.erreurs == [], visite.rapport(role)
    assert len(visite.pages) > 5, visite.pages
    restees = {}
    for adresse, phrase in visite.remarques:
        restees.setdefault(phrase, adresse)
    assert restees == {}, "\n".join(f"{a} : {p}" for p, a in sorted(restees.items()))
