"""Dans Chromium, avec un vrai worker Celery : depuis la liste des candidatures d'un appel, un
gestionnaire exporte au-delà du seuil (abaissé), suit la préparation sur la page de l'export,
puis télécharge le fichier, qui a les lignes attendues ; redemandé, c'est le même fichier, et
après un changement de la liste, un nouveau. Axe sans violation grave."""

from pathlib import Path

import pytest
from django.db import connection
from kombu import Connection
from playwright.sync_api import expect

from candidatures.enums import EtatCandidature
from telechargements.models import Telechargement
from tests.activite.test_navigateur import _connexion, _worker
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_le_gestionnaire_suit_la_preparation_puis_telecharge_l_export(
    page, live_server, settings, monkeypatch, verifier_accessibilite
):
    from aap.celery import app

    settings.RELAIS_EXPORT_SEUIL_LIGNES = 3
    monkeypatch.setenv("EMAIL_URL", "dummymail://")
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    appel = AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]), ouvert=True, titre="AMI 2026"
    )
    noms = ["CCAS d'Alpha", "CCAS de Bêta", "CCAS de Gamma", "CCAS de Delta", "CCAS d'Epsilon"]
    for nom in noms:
        CandidatureFactory(appel=appel, structure=StructureFactory(nom=nom), deposee=True)
    CandidatureFactory(appel=appel, structure=StructureFactory(nom="Brouillon"))

    broker = app.conf.broker_url
    with Connection(broker) as connexion:
        connexion.default_channel.queue_purge("celery")
    worker = _worker(broker, settings.MEDIA_ROOT)
    try:
        _connexion(page, live_server, "gestion@exemple.test")
        page.goto(f"{live_server.url}/gestion/appels/{appel.pk}/candidatures/?etat=deposee")
        page.get_by_role("link", name="Exporter la liste (CSV)").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Export des candidatures — AMI 2026 (CSV)"
        )
        telechargement = Telechargement.objects.get()
        assert page.url == f"{live_server.url}/mes-exports/{telechargement.pk}/"
        assert telechargement.lignes_total == 5
        expect(page.get_by_label("Progression de la préparation")).to_be_visible()
        verifier_accessibilite(page)
        expect(page.get_by_role("status")).to_have_text(
            "L'export est prêt : 5 lignes.", timeout=120_000
        )
        expect(page.get_by_label("Progression de la préparation")).to_have_attribute("value", "100")
        verifier_accessibilite(page)
        with page.expect_download() as telechargement_navigateur:
            page.get_by_role("link", name="Télécharger le fichier").click()

        # Redemandé sur les mêmes données : le même export, déjà prêt.
        liste = f"{live_server.url}/gestion/appels/{appel.pk}/candidatures/?etat=deposee"
        page.goto(liste)
        expect(page.get_by_text("5 candidatures", exact=True)).to_be_visible()
        page.get_by_role("link", name="Exporter la liste (CSV)").click()
        expect(page.get_by_role("status")).to_have_text("L'export est prêt : 5 lignes.")
        assert page.url == f"{live_server.url}/mes-exports/{telechargement.pk}/"

        # Une candidature déclarée recevable : la liste, gardée en cache, ne la montre plus
        # parmi les déposées, et l'export suivant est un nouveau fichier de 4 lignes.
        page.goto(liste)
        page.locator("tbody tr", has_text="CCAS de Delta").get_by_role("checkbox").check()
        page.get_by_role("button", name="Déclarer recevables les candidatures cochées").click()
        expect(page.get_by_text("1 candidature déclarée recevable.")).to_be_visible()
        page.goto(liste)
        expect(page.get_by_text("4 candidatures", exact=True)).to_be_visible()
        expect(page.locator("tbody tr", has_text="CCAS de Delta")).to_have_count(0)
        page.get_by_role("link", name="Exporter la liste (CSV)").click()
        expect(page.get_by_role("status")).to_have_text(
            "L'export est prêt : 4 lignes.", timeout=120_000
        )
        assert Telechargement.objects.count() == 2
    finally:
        worker.terminate()
        worker.wait(20)
        connection.close()

    telechargement.refresh_from_db()
    assert (telechargement.etat, telechargement.lignes_faites) == ("pret", 5)
    assert telechargement.tentatives == 1
    fichier = telechargement_navigateur.value
    assert fichier.suggested_filename.startswith(f"candidatures-{appel.slug}-")
    lignes = Path(fichier.path()).read_bytes().decode("utf-8-sig").split("\r\n")
    assert len(lignes) == 1 + 5 + 1 and lignes[-1] == ""
    assert sorted(ligne.split(";")[1] for ligne in lignes[1:-1]) == sorted(noms)
    assert all(ligne.split(";")[6] == str(EtatCandidature.DEPOSEE.label) for ligne in lignes[1:-1])
