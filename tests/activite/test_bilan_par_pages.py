"""La page du bilan ne met en forme que ses lignes (`activite.presentation.vue_du_bilan`) et
garde sa vue et son HTML en cache sous la clé du bilan, le public, la langue et la page : les
cellules d'une page sont exactement celles du bilan entier (le masquage se décide sur toute la
cohorte), une écriture se lit à la vue suivante, une autre langue ou un autre public n'en
reçoit jamais le rendu.

La cohorte est celle de tests/activite/test_bilan_observateur.py (Armentières, Houplines),
montrée ici une structure par page."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activite.bilan import bilan_a_jour
from activite.models import ListeAttente
from activite.presentation import presenter
from activite.views import bilan as vues_du_bilan
from structures.models import Structure
from tests.activite.test_bilan_observateur import _tableau, construire_cohorte
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

ARMENTIERES_MASQUEE = [
    "CCAS d'Armentières",
    *("masqué", "3", "0", "3", "12", "14,5", "136", "136", "masqué", "masqué", "63"),
    *("masqué", "80"),
]
HOUPLINES_MASQUEE = [
    "CCAS de Houplines",
    *("< 5", "2", "2", "0", "—", "—", "6", "0", "masqué", "masqué", "63", "—", "0"),
]
HOUPLINES_DETAILLEE = [
    "CCAS de Houplines",
    *("2", "2", "2", "0", "—", "—", "6", "0", "50", "50", "63", "—", "0"),
]


@pytest.fixture
def cohorte(monkeypatch):
    monkeypatch.setattr(vues_du_bilan, "STRUCTURES_PAR_PAGE", 1)
    return construire_cohorte()


def _connecte(client, appel, **role):
    personne = UtilisateurFactory(**role)
    if role.get("gestionnaire"):
        appel.programme.gestionnaires.add(personne)
    client.force_login(personne)
    return client


def _lignes(client, appel, **parametres):
    reponse = client.get(reverse("activite:bilan", args=[appel.slug]), parametres)
    assert reponse.status_code == 200
    return _tableau(reponse.content.decode())


def test_chaque_page_de_l_observateur_est_masquee_comme_le_bilan_entier(client, cohorte):
    client = _connecte(client, cohorte, observateur=True)

    assert _lignes(client, cohorte) == [ARMENTIERES_MASQUEE]
    assert _lignes(client, cohorte, page=2) == [HOUPLINES_MASQUEE]
    # Le numéro se lit comme avant : invalide, la première page ; trop grand, la dernière.
    assert _lignes(client, cohorte, page="x") == [ARMENTIERES_MASQUEE]
    assert _lignes(client, cohorte, page=99) == [HOUPLINES_MASQUEE]
    assert _lignes(client, cohorte, page=0) == [HOUPLINES_MASQUEE]
    # Les mêmes cellules que la présentation du bilan d'un seul tenant.
    vue = presenter(bilan_a_jour(cohorte), masquer=True)
    assert [[ligne["structure"], *ligne["cellules"]] for ligne in vue["lignes"]] == [
        ARMENTIERES_MASQUEE,
        HOUPLINES_MASQUEE,
    ]


def test_une_page_se_sert_en_autant_de_requetes_quelle_qu_elle_soit(client, cohorte):
    """Compte, appel, programmes, appel de la vue, la clé du bilan, la publication en données
    ouvertes : 6 (la session et les rôles ne coûtent rien), pour la première page comme pour la
    dernière ou une page hors bornes, et sans rien du calcul une fois la vue en cache."""
    client = _connecte(client, cohorte, gestionnaire=True)
    adresse = reverse("activite:bilan", args=[cohorte.slug])
    for page in (1, 2, 99):
        client.get(adresse, {"page": page})

    comptes = []
    for page in (1, 2, 99, "x"):
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(adresse, {"page": page}).status_code == 200
        comptes.append(len(requetes))

    assert comptes == [6, 6, 6, 6]


def test_une_page_en_cache_suit_l_ecriture_suivante(client, cohorte):
    """Une liste d'attente de 12 personnes saisie à Houplines : sa ligne (page 2) passe de 0
    à 12, et la cohorte de 80 à 92, à la vue qui suit."""
    client = _connecte(client, cohorte, gestionnaire=True)
    assert _lignes(client, cohorte, page=2) == [HOUPLINES_DETAILLEE]
    houplines = Structure.objects.get(nom="CCAS de Houplines")

    ListeAttente.objects.create(structure=houplines, date=timezone.localdate(), nombre=12)

    assert _lignes(client, cohorte, page=2) == [[*HOUPLINES_DETAILLEE[:-1], "12"]]
    contenu = client.get(reverse("activite:bilan", args=[cohorte.slug])).content.decode()
    assert '<dt>Liste d&#x27;attente</dt><dd class="fs-3">92</dd>' in contenu


def test_ni_un_autre_public_ni_une_autre_langue_ne_recoit_le_rendu_d_une_page(client, cohorte):
    """Le gestionnaire voit les valeurs exactes puis l'observateur les siennes, masquées, à
    la même page ; en anglais, les en-têtes et les nombres sont ceux de l'anglais."""
    gestionnaire = _connecte(client, cohorte, gestionnaire=True)
    assert _lignes(gestionnaire, cohorte, page=2) == [HOUPLINES_DETAILLEE]
    gestionnaire.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    contenu = gestionnaire.get(reverse("activite:bilan", args=[cohorte.slug])).content.decode()
    assert '<th scope="col">Activities carried out</th>' in contenu
    assert "14.5" in _tableau(contenu)[0]
    gestionnaire.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "14,5" in _lignes(gestionnaire, cohorte)[0]

    gestionnaire.logout()
    observateur = _connecte(gestionnaire, cohorte, observateur=True)
    assert _lignes(observateur, cohorte, page=2) == [HOUPLINES_MASQUEE]
