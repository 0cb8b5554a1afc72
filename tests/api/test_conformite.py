"""Chaque opération du schéma OpenAPI appelée comme il la décrit (paramètres tirés par
schemathesis, valides ou non), avec le jeton d'un gestionnaire du programme du monde : chaque
réponse doit être conforme au schéma (statut documenté, corps du type annoncé, jamais de 500).

Lent (un monde construit par exemple tiré) : quelques exemples par opération suffisent, les
valeurs limites étant tirées d'abord."""

import pytest
import schemathesis
from django.core import signals as signal
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.outils import jeton_pour
from tests.fiabilite.monde import construire_monde

# Ce que la réponse doit tenir du schéma. Un paramètre inconnu ou hors bornes est ignoré
# (« taille » trop grande ramenée à 200) plutôt que refusé : les refus de requêtes invalides ne
# sont pas exigés.
VERIFICATIONS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def schema_de_l_api(db):
    """L'application WSGI appelée dans le processus du test, comme le fait le client de test
    de Django : sans fermer la connexion à la base en fin de requête (elle tient la
    transaction du test)."""
    signal.request_started.disconnect(close_old_connections)
    signal.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema.json", get_wsgi_application())
    signal.request_started.connect(close_old_connections)
    signal.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("schema_de_l_api")


@pytest.fixture
def jeton_du_gestionnaire(db):
    """Le monde de la matrice, une fois par opération (les exemples tirés le partagent)."""
    monde = construire_monde()
    _jeton, clair = jeton_pour(monde.comptes["gestionnaire"], monde.programme)
    return clair


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_chaque_operation_repond_comme_documente(case, jeton_du_gestionnaire):
    clair = jeton_du_gestionnaire
    case.call_and_validate(headers={"Authorization": f"Bearer {clair}"}, checks=VERIFICATIONS)
