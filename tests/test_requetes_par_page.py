"""Ce que coûte chaque page authentifiée en requêtes SQL, compté exactement. Le plancher ne lit
l'utilisateur que par la double authentification : elle y est active, comme en production (un
gestionnaire, lui, serait renvoyé vers son code ; sa page est comptée sans elle).

Avant les rôles sur la ligne du compte, les sessions en cache et le mémo des permissions
(commit 3ebd18c), ce même test comptait : plancher 3, tableau de bord 18, structure 8, gestion 9,
accompagnement 11. Partis : la session (1), les groupes (1 à 4) et, quand django-rules refuse,
les permissions de modèle du compte et de ses groupes (2)."""

import pytest

from tests.fiabilite.monde import construire_monde

pytestmark = pytest.mark.django_db


@pytest.fixture
def monde():
    return construire_monde()


def _requetes(client, compte, chemin, django_assert_num_queries, attendu):
    client.force_login(compte)
    client.get(chemin)  # la première requête range la session dans le cache
    with django_assert_num_queries(attendu):
        reponse = client.get(chemin)
    return reponse.status_code


@pytest.mark.parametrize(
    "compte, chemin, attendu",
    [
        ("candidat_a", "/plancher/", 1),
        ("candidat_a", "/tableau-de-bord/", 9),
        ("candidat_a", "/structures/{structure_a}/", 7),
        ("gestionnaire", "/gestion/", 4),
        ("coach", "/accompagnement/", 7),
    ],
)
def test_requetes_d_une_page_authentifiee(
    client, settings, monde, compte, chemin, attendu, django_assert_num_queries
):
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = chemin == "/plancher/"
    utilisateur = monde.comptes[compte]
    chemin = chemin.format(structure_a=monde.structure_a.pk)
    assert _requetes(client, utilisateur, chemin, django_assert_num_queries, attendu) == 200
