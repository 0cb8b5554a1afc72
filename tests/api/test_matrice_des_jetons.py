"""La matrice de l'API : chaque point d'accès (lu dans le résolveur d'URL, espace « api ») ×
chaque rôle, avec un jeton de ce rôle visant le programme du monde (sans jeton pour
l'anonyme ; le gestionnaire d'un autre programme vise le sien) → la réponse attendue.

Un point d'accès ajouté sans sa ligne fait échouer le test. 401 : sans jeton ; 404 : objet
hors du périmètre du jeton (il ne dit pas qu'il existe)."""

import pytest
from django.urls import reverse

from tests.api.outils import client_api, jeton_pour
from tests.fiabilite.monde import ROLES, construire_monde
from tests.fiabilite.test_permissions import pages_du_projet

PARAMETRES = {
    "api:appel-detail": lambda m: {"pk": m.appel_ouvert.pk},
    "api:candidature-detail": lambda m: {"pk": m.candidature.pk},
    "api:appel-resultats": lambda m: {"pk": m.plan.candidature.appel_id},
    "api:journal": lambda m: {"type": "candidature", "pk": m.candidature.pk},
    "api:plan-detail": lambda m: {"pk": m.plan.pk},
    "api:formation-detail": lambda m: {"pk": m.session.pk},
    "api:bilan-detail": lambda m: {"slug": m.plan.candidature.appel.slug},
    "api:structure-activite": lambda m: {"pk": m.structure_a.pk},
}
# Le motif de repli (toute autre adresse sous /api/v1/) ne se renverse pas : son adresse.
ADRESSES = {"api:introuvable": "/api/v1/appels/0.5/"}

# fmt: off
# Colonnes, dans l'ordre de ROLES : anonyme, candidat de A, candidat de B, membre du jury sans
# conflit, membre du jury en conflit, coach du plan, autre coach, observateur, gestionnaire du
# programme, gestionnaire d'un autre programme.
MATRICE = {
    #                                    anon cA  cB jury jcf coa co2 obs ges ge2
    "api:documentation":                (200,200,200,200,200,200,200,200,200,200),
    "api:schema":                       (200,200,200,200,200,200,200,200,200,200),
    "api:eligibilite":                  (400,400,400,400,400,400,400,400,400,400),
    "api:appel-list":                   (200,200,200,200,200,200,200,200,200,200),
    "api:appel-detail":                 (200,200,200,200,200,200,200,200,200,200),
    "api:introuvable":                  (404,404,404,404,404,404,404,404,404,404),
    "api:candidature-list":             (401,200,200,403,403,403,403,403,200,200),
    "api:candidature-detail":           (401,200,404,404,404,404,404,404,200,404),
    "api:appel-resultats":              (401,403,403,403,403,403,403,403,200,404),
    "api:journal":                      (401,403,403,403,403,403,403,403,200,404),
    "api:plan-list":                    (401,403,403,403,403,403,403,403,200,200),
    "api:plan-detail":                  (401,404,404,404,404,404,404,404,200,404),
    "api:formation-list":               (401,403,403,403,403,403,403,403,200,200),
    "api:formation-detail":             (401,404,404,404,404,404,404,404,200,404),
    "api:bilan-list":                   (401,403,403,403,403,403,403,200,200,200),
    "api:bilan-detail":                 (401,404,404,404,404,404,404,200,200,404),
    "api:structure-activite":           (401,404,404,404,404,404,404,404,200,404),
}
# fmt: on


def points_d_acces():
    return [nom for _chemin, nom in pages_du_projet() if nom and nom.startswith("api:")]


def test_chaque_point_d_acces_a_sa_ligne():
    noms = points_d_acces()
    assert sorted(set(noms) - set(MATRICE)) == []
    assert sorted(set(MATRICE) - set(noms)) == []


def clients_par_role(monde):
    clients = {}
    for role in ROLES:
        compte = monde.comptes[role]
        if compte is None:
            clients[role] = client_api()
            continue
        programme = monde.autre_programme if role == "autre_gestionnaire" else monde.programme
        _jeton, clair = jeton_pour(compte, programme)
        clients[role] = client_api(clair)
    return clients


@pytest.mark.django_db
def test_matrice_des_jetons():
    monde = construire_monde()
    clients = clients_par_role(monde)
    ecarts = {}
    for nom in points_d_acces():
        adresse = ADRESSES.get(nom) or reverse(nom, kwargs=PARAMETRES.get(nom, lambda m: {})(monde))
        for colonne, role in enumerate(ROLES):
            observe = clients[role].get(adresse).status_code
            attendu = MATRICE.get(nom, (None,) * len(ROLES))[colonne]
            if observe != attendu:
                ecarts[f"{nom} / {role}"] = {"attendu": attendu, "observé": observe}
    assert ecarts == {}
