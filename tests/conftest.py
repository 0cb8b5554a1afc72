import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_migrate
from hypothesis import settings as hypothesis_settings

EN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# En CI, les exemples de hypothesis sont tirés toujours de la même façon : un exemple qui fait
# échouer un test est trouvé sur un poste (exploration aléatoire), puis épinglé par @example,
# au lieu de faire échouer au hasard une intégration sans rapport.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if EN_CI:
    hypothesis_settings.load_profile("ci")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _joignable(url, port_par_defaut):
    adresse = urlparse(url)
    try:
        with socket.create_connection((adresse.hostname, adresse.port or port_par_defaut), 2):
            return True
    except OSError:
        return False


def _service_absent(marker_name):
    """La raison pour laquelle le service d'un marqueur manque, ou None s'il est là."""
    if marker_name == "postgres":
        if settings.DATABASES["default"]["ENGINE"] != "noyau.bd.postgresql":
            return "PostgreSQL requis : DATABASE_URL ne désigne pas une base PostgreSQL"
    if marker_name == "redis":
        url = os.environ.get("REDIS_URL", "")
        if not url:
            return "Redis requis : REDIS_URL n'est pas défini"
        if not _joignable(url, 6379):
            return f"Redis requis : {url} ne répond pas"
    if marker_name == "browser" and not CHROMIUM:
        return "Chromium requis : le paquet Debian « chromium » n'est pas installé"
    return None


def pytest_runtest_setup(item):
    """Sans le service : test sauté sur un portable, test en échec en CI (jamais sauté)."""
    for marker in item.iter_markers():
        raison = _service_absent(marker.name)
        if raison:
            if EN_CI:
                pytest.fail(f"{raison} (CI=true : ce test doit tourner)", pytrace=False)
            pytest.skip(raison)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def verifier_accessibilite():
    """Lance axe-core sur la page et échoue sur toute violation grave ou critique."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def verifier(page):
        resultats = axe.run(page)
        graves = [
            f"{violation['id']} ({violation['impact']}) : {violation['help']} — "
            + ", ".join(str(noeud["target"]) for noeud in violation["nodes"][:3])
            for violation in resultats.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert graves == [], f"axe sur {page.url} :\n" + "\n".join(graves)

    return verifier


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Toute la session a les données de référence livrées (communes, populations, QPV).

    Un test transactionnel vide la base en sortant ; elles sont alors réinsérées aussitôt
    (voir tests/territoires/referentiel.py).
    """
    from tests.territoires.referentiel import (
        charger_referentiel,
        copier_referentiel,
        restaurer_referentiel,
    )

    with django_db_blocker.unblock():
        charger_referentiel()
        copie = copier_referentiel()

    def apres_vidage(sender, using, **kwargs):
        restaurer_referentiel(copie, using)

    territoires = apps.get_app_config("territoires")
    post_migrate.connect(apres_vidage, sender=territoires, dispatch_uid="referentiel_de_test")
    yield
    post_migrate.disconnect(sender=territoires, dispatch_uid="referentiel_de_test")


@pytest.fixture(autouse=True)
def cache_vide():
    """Chaque test part d'un cache vide : les limites de débit d'allauth et d'axes y vivent, et
    un courriel de confirmation envoyé par un test ne doit pas en faire taire un autre."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
