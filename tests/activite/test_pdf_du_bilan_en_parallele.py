"""Six téléchargements simultanés du PDF du bilan par un même observateur, contre le vrai
serveur de test (un fil par requête), pendant qu'on chronomètre la page la plus légère
(`/plancher/`) : une seule mise en page, et la médiane de la page légère imprimée (-s) au
repos et pendant les téléchargements. Les durées dépendent de la machine : on ne les borne pas."""

import statistics
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from tests.activite.jeu_de_donnees import construire
from tests.candidatures.factories import CandidatureFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db(transaction=True)

TELECHARGEMENTS = 6


def _get(url, cookie=None):
    requete = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(requete, timeout=600) as reponse:
            return reponse.status, reponse.read()
    except urllib.error.HTTPError as erreur:
        return erreur.code, erreur.read()


def _duree_du_plancher(url):
    debut = time.perf_counter()
    statut, _corps = _get(url)
    assert statut == 200
    return time.perf_counter() - debut


def test_six_telechargements_simultanes_d_un_observateur_une_seule_mise_en_page(
    live_server, client, mises_en_page
):
    appel, _structures = construire()
    # Un tableau plus long (15 structures), toujours rendu dans la requête.
    for _ in range(12):
        CandidatureFactory(appel=appel, retenue=True)
    observateur = UtilisateurFactory(observateur=True)
    client.force_login(observateur)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    adresse_du_pdf = f"{live_server.url}/bilans/{appel.slug}/bilan.pdf"
    plancher = f"{live_server.url}/plancher/"

    au_repos = statistics.median(_duree_du_plancher(plancher) for _ in range(20))
    depart = threading.Barrier(TELECHARGEMENTS)

    def telecharger():
        depart.wait()
        return _get(adresse_du_pdf, cookie)

    pendant = []
    debut = time.perf_counter()
    with ThreadPoolExecutor(TELECHARGEMENTS) as fils:
        envois = [fils.submit(telecharger) for _ in range(TELECHARGEMENTS)]
        while not all(envoi.done() for envoi in envois) or len(pendant) < 5:
            pendant.append(_duree_du_plancher(plancher))
        reponses = [envoi.result() for envoi in envois]
    duree_totale = time.perf_counter() - debut

    print(
        f"\n/plancher/ p50 : {au_repos * 1000:.0f} ms au repos, "
        f"{statistics.median(pendant) * 1000:.0f} ms pendant les {TELECHARGEMENTS} "
        f"téléchargements ({len(pendant)} mesures, {duree_totale:.1f} s en tout) ; "
        f"statuts {sorted(statut for statut, _corps in reponses)} ; "
        f"mises en page {len(mises_en_page)}"
    )
    assert len(mises_en_page) == 1
    assert {statut for statut, _corps in reponses} <= {200, 202, 429}
    pdfs = [corps for statut, corps in reponses if statut == 200]
    assert len(pdfs) >= 1
    assert {corps[:5] for corps in pdfs} == {b"%PDF-"}
    en_preparation = [corps.decode() for statut, corps in reponses if statut == 202]
    assert all("Le PDF est en préparation…" in page for page in en_preparation)

    statut, corps = _get(adresse_du_pdf, cookie)
    assert (statut, corps) == (200, pdfs[0])
    assert len(mises_en_page) == 1
