import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def limites_d_allauth_remises_a_zero():
    """allauth compte les connexions refusées dans le cache, qui survit d'un test à l'autre."""
    cache.clear()
    yield
    cache.clear()
