"""Les exports préparés par le worker : le seuil (1 000 lignes dans la requête, 1 001 par le
worker), le même fichier que l'export immédiat, la progression, une préparation lancée deux
fois (un fichier, un courriel), le fichier pour son seul demandeur tant qu'il gère le
programme, l'expiration, la purge ; le tableur du bilan d'une grande cohorte pour le bon
public."""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as reglages
from django.utils import timezone
from openpyxl import load_workbook

from activite.enums import PublicDuBilan
from candidatures import exports
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from messagerie.models import Message
from structures.models import Structure
from telechargements import preparation, tasks
from telechargements.models import Telechargement
from tests.activite.jeu_de_donnees import construire
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory
from tests.telechargements.factories import TelechargementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire])


@pytest.fixture
def appel(programme):
    return AppelFactory(programme=programme, ouvert=True, slug="ami-export")


@pytest.fixture
def connecte(client, gestionnaire):
    client.force_login(gestionnaire)
    return client


def _candidatures(appel, nombre, etat=EtatCandidature.BROUILLON):
    structures = Structure.objects.bulk_create(StructureFactory.build_batch(nombre))
    Candidature.objects.bulk_create(
        Candidature(appel=appel, structure=structure, etat=etat) for structure in structures
    )


def _adresse(appel, format_="csv"):
    return f"/gestion/appels/{appel.pk}/candidatures/export.{format_}"


def _fichiers():
    racine = Path(reglages.MEDIA_ROOT) / "exports"
    return sorted(p.name for p in racine.rglob("*") if p.is_file()) if racine.exists() else []


def test_1000_lignes_dans_la_requete_1001_par_le_worker(
    connecte, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    settings.RELAIS_EXPORT_SEUIL_LIGNES = 1000  # le plus haut permis
    _candidatures(appel, 1000)
    _candidatures(appel, 1, etat=EtatCandidature.DEPOSEE)

    immediat = connecte.get(_adresse(appel), {"etat": "brouillon"})
    assert immediat.status_code == 200
    lignes = b"".join(immediat.streaming_content).decode("utf-8").split("\r\n")
    assert len(lignes) == 1 + 1000 + 1  # en-têtes, 1 000 lignes, fin de la dernière ligne
    assert not Telechargement.objects.exists()

    with django_capture_on_commit_callbacks() as rappels:
        differe = connecte.get(_adresse(appel))
    telechargement = Telechargement.objects.get()
    assert differe.status_code == 303
    assert differe["Location"] == f"/mes-exports/{telechargement.pk}/"
    assert (telechargement.demandeur, telechargement.appel, telechargement.format) == (
        gestionnaire,
        appel,
        "csv",
    )
    assert (telechargement.lignes_total, telechargement.lignes_faites) == (1001, 0)
    assert telechargement.etat == "en_attente"
    assert len(rappels) == 1  # la tâche, mise en file au commit

    preparation.preparer(telechargement.pk)
    telechargement.refresh_from_db()
    assert (telechargement.etat, telechargement.lignes_faites, telechargement.lignes_total) == (
        "pret",
        1001,
        1001,
    )
    contenu = telechargement.fichier.read().decode("utf-8")
    assert len(contenu.split("\r\n")) == 1 + 1001 + 1


def test_le_fichier_du_worker_est_celui_de_l_export_immediat(connecte, appel, settings):
    for nom in ("Zèbre", "Alpha", "=cmd|' /C calc'!A0"):
        CandidatureFactory(appel=appel, structure=StructureFactory(nom=nom), deposee=True)
    CandidatureFactory(appel=appel)  # un brouillon, hors du filtre
    filtres = {"etat": "deposee", "tri": "structure"}
    immediat = b"".join(connecte.get(_adresse(appel), filtres).streaming_content)
    classeur_immediat = connecte.get(_adresse(appel, "xlsx"), filtres).content

    settings.RELAIS_EXPORT_SEUIL_LIGNES = 2
    assert connecte.get(_adresse(appel), filtres).status_code == 303
    assert connecte.get(_adresse(appel, "xlsx"), filtres).status_code == 303
    csv_, xlsx = Telechargement.objects.order_by("pk")
    assert csv_.parametres == {"filtres": "etat=deposee&tri=structure"}
    for telechargement in (csv_, xlsx):
        assert preparation.preparer(telechargement.pk) is True
        telechargement.refresh_from_db()
        assert telechargement.lignes_total == 3

    assert csv_.fichier.read() == immediat
    assert "'=cmd|' /C calc'!A0" in immediat.decode("utf-8")
    lire = lambda contenu: [  # noqa: E731
        list(ligne) for ligne in load_workbook(io.BytesIO(contenu)).active.values
    ]
    assert lire(xlsx.fichier.read()) == lire(classeur_immediat)

    fichier = connecte.get(f"/mes-exports/{csv_.pk}/fichier/")
    assert fichier.status_code == 200
    assert b"".join(fichier.streaming_content) == immediat
    assert fichier["Content-Type"] == "text/csv; charset=utf-8"
    date = timezone.localdate().strftime("%Y-%m-%d")
    assert f'filename="candidatures-ami-export-{date}.csv"' in fichier["Content-Disposition"]


def test_la_progression_par_paquets(appel, monkeypatch):
    _candidatures(appel, 5)
    monkeypatch.setattr(exports, "PAQUET_DE_PROGRESSION", 2)
    vues = []
    sortie = io.BytesIO()
    nombre = exports.ecrire_csv(
        appel, Candidature.objects.filter(appel=appel).order_by("pk"), sortie, vues.append
    )
    assert (nombre, vues) == (5, [2, 4, 5])


def test_la_page_et_l_etat_disent_n_lignes_sur_n(connecte, appel, gestionnaire):
    telechargement = TelechargementFactory(
        demandeur=gestionnaire,
        appel=appel,
        lignes_total=10000,
        lignes_faites=1500,
        commence_le=timezone.now(),
    )
    etat = connecte.get(f"/mes-exports/{telechargement.pk}/etat/").json()
    assert etat == {
        "etat": "en_cours",
        "lignes_faites": 1500,
        "lignes_total": 10000,
        "pourcentage": 15,
        "texte": "Préparation en cours : 1\xa0500 lignes sur 10\xa0000.",
    }
    page = connecte.get(f"/mes-exports/{telechargement.pk}/")
    assert page.status_code == 200
    texte = page.content.decode()
    assert 'role="status" aria-live="polite"' in texte
    assert "Préparation en cours : 1\xa0500 lignes sur 10\xa0000." in texte
    assert '<progress id="barre-export" max="100" value="15">' in texte
    assert f'href="/mes-exports/{telechargement.pk}/">Actualiser</a>' in texte
    assert 'id="lien-fichier"' in texte and " hidden>" in texte
    assert "/static/telechargements/export.js" in texte
    assert "<script>" not in texte


def test_lancee_deux_fois_un_fichier_et_un_courriel(
    connecte, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    settings.RELAIS_EXPORT_SEUIL_LIGNES = 2
    _candidatures(appel, 3)
    connecte.get(_adresse(appel))
    # Un double clic rend la même demande, encore en préparation.
    connecte.get(_adresse(appel))
    telechargement = Telechargement.objects.get()
    Message.objects.all().delete()

    with django_capture_on_commit_callbacks():
        tasks.preparer_export(telechargement_id=telechargement.pk)
        tasks.preparer_export(telechargement_id=telechargement.pk)

    assert len(_fichiers()) == 1
    message = Message.objects.get()
    assert (message.type, message.destinataire, message.cle) == (
        "export_pret",
        "gestion@programme.test",
        f"export_pret:{telechargement.pk}",
    )
    assert message.sujet == "[Relais] Votre export est prêt"
    assert f"/mes-exports/{telechargement.pk}/" in message.corps_texte
    telechargement.refresh_from_db()
    assert telechargement.tentatives == 1


def test_une_preparation_perdue_est_reprise_par_le_rattrapage(appel, gestionnaire, monkeypatch):
    _candidatures(appel, 2)
    maintenant = timezone.now()
    perdue = TelechargementFactory(
        demandeur=gestionnaire,
        appel=appel,
        lignes_total=2,
        demande_le=maintenant - timedelta(minutes=20),
        commence_le=maintenant - timedelta(minutes=16),  # worker tué
        tentatives=1,
    )
    TelechargementFactory(  # tout juste demandée : sa tâche est en file
        demandeur=gestionnaire,
        appel=appel,
    )
    publiees = []
    monkeypatch.setattr(
        tasks.preparer_export, "apply_async", lambda kwargs: publiees.append(kwargs)
    )
    assert tasks.rattraper_exports() == 1
    assert publiees == [{"telechargement_id": perdue.pk}]

    assert preparation.preparer(perdue.pk) is True
    perdue.refresh_from_db()
    assert (perdue.etat, perdue.tentatives, perdue.lignes_faites) == ("pret", 2, 2)


def _pret(gestionnaire, appel, settings):
    settings.RELAIS_EXPORT_SEUIL_LIGNES = 2
    _candidatures(appel, 3)
    telechargement = TelechargementFactory(
        demandeur=gestionnaire,
        appel=appel,
        lignes_total=3,
    )
    preparation.preparer(telechargement.pk)
    telechargement.refresh_from_db()
    return telechargement


def test_le_fichier_pour_son_seul_demandeur_tant_qu_il_gere_le_programme(
    client, appel, programme, gestionnaire, settings
):
    telechargement = _pret(gestionnaire, appel, settings)
    adresse = f"/mes-exports/{telechargement.pk}/fichier/"

    client.force_login(gestionnaire)
    reponse = client.get(adresse)
    assert reponse.status_code == 200
    assert len(b"".join(reponse.streaming_content).split(b"\r\n")) == 1 + 3 + 1

    collegue = UtilisateurFactory(gestionnaire=True)
    programme.gestionnaires.add(collegue)
    client.force_login(collegue)
    for chemin in ("fichier/", "", "etat/"):
        refus = client.get(f"/mes-exports/{telechargement.pk}/{chemin}")
        assert refus.status_code == 403
        assert "demandé par une autre personne" in refus.content.decode()

    programme.gestionnaires.remove(gestionnaire)
    client.force_login(gestionnaire)
    refus = client.get(adresse)
    assert refus.status_code == 403
    assert "plus accès à cet export : votre compte ne permet plus" in refus.content.decode()


def test_expire_la_page_le_dit_puis_la_purge_efface_ligne_et_fichier(
    connecte, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    telechargement = _pret(gestionnaire, appel, settings)
    autre = _pret(gestionnaire, appel, settings)  # encore valable
    assert len(_fichiers()) == 2
    Telechargement.objects.filter(pk=telechargement.pk).update(
        expire_le=timezone.now() - timedelta(minutes=1)
    )

    for chemin in ("", "fichier/"):
        reponse = connecte.get(f"/mes-exports/{telechargement.pk}/{chemin}", follow=True)
        assert reponse.status_code == 410
        assert "Cet export a expiré : son fichier a été effacé." in reponse.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purger_exports() == 1
    assert list(Telechargement.objects.values_list("pk", flat=True)) == [autre.pk]
    assert len(_fichiers()) == 1
    assert connecte.get(f"/mes-exports/{telechargement.pk}/").status_code == 404


def test_mes_exports(connecte, appel, gestionnaire, settings):
    telechargement = _pret(gestionnaire, appel, settings)
    UtilisateurFactory(gestionnaire=True)
    page = connecte.get("/mes-exports/")
    assert page.status_code == 200
    assert page.context["exports"] == [(telechargement, "Export des candidatures")]
    assert "Prêt" in page.content.decode()


def test_le_tableur_d_une_grande_cohorte_pour_le_bon_public(client, settings):
    settings.RELAIS_BILAN_PDF_SEUIL_STRUCTURES = 2
    appel, _structures = construire()
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel.programme.gestionnaires.add(gestionnaire)
    observateur = UtilisateurFactory(observateur=True)

    client.force_login(observateur)
    reponse = client.get(f"/bilans/{appel.slug}/bilan.xlsx")
    masque = Telechargement.objects.get()
    assert reponse.status_code == 303
    assert (masque.genre, masque.parametres, masque.lignes_total) == (
        "bilan",
        {"public": PublicDuBilan.MASQUE},
        3,
    )
    assert preparation.preparer(masque.pk) is True
    assert client.get(f"/mes-exports/{masque.pk}/fichier/").status_code == 200

    client.force_login(gestionnaire)
    client.get(f"/bilans/{appel.slug}/bilan.xlsx")
    detaille = Telechargement.objects.exclude(pk=masque.pk).get()
    assert detaille.parametres == {"public": PublicDuBilan.DETAILLE}
    assert preparation.preparer(detaille.pk) is True
    assert client.get(f"/mes-exports/{detaille.pk}/fichier/").status_code == 200
    # Le fichier masqué n'est pas servi à qui lit le détail, même s'il devenait le sien.
    Telechargement.objects.filter(pk=masque.pk).update(demandeur=gestionnaire)
    assert client.get(f"/mes-exports/{masque.pk}/fichier/").status_code == 403

    # La même personne devenue observatrice ne reçoit plus le fichier détaillé.
    appel.programme.gestionnaires.remove(gestionnaire)
    gestionnaire.groups.clear()
    Telechargement.objects.filter(pk=detaille.pk).update(demandeur=observateur)
    client.force_login(observateur)
    assert client.get(f"/mes-exports/{detaille.pk}/fichier/").status_code == 403


def test_la_demande_d_export_compte_puis_insere_sans_lire_les_lignes(
    connecte, appel, settings, django_assert_num_queries
):
    settings.RELAIS_EXPORT_SEUIL_LIGNES = 2
    _candidatures(appel, 3)
    # Compte, programmes gérés, appel, la même demande déjà faite ?, communes et étiquettes
    # du filtre, comptage, insertion (la session et les rôles ne coûtent rien).
    with django_assert_num_queries(8):
        assert connecte.get(_adresse(appel)).status_code == 303
    # La même demande, encore en préparation : rendue telle quelle, sans recompter la liste.
    with django_assert_num_queries(4):
        assert connecte.get(_adresse(appel)).status_code == 303
    assert Telechargement.objects.count() == 1


def test_relancer_une_preparation_perdue(
    connecte, appel, gestionnaire, django_capture_on_commit_callbacks
):
    telechargement = TelechargementFactory(
        demandeur=gestionnaire,
        appel=appel,
        demande_le=timezone.now() - timedelta(minutes=5),
    )
    page = connecte.get(f"/mes-exports/{telechargement.pk}/")
    assert "Relancer la préparation" in page.content.decode()
    with django_capture_on_commit_callbacks() as rappels:
        reponse = connecte.post(f"/mes-exports/{telechargement.pk}/relancer/")
    assert reponse.status_code == 302
    assert len(rappels) == 1

    # Tout juste demandé : rien à relancer.
    Telechargement.objects.filter(pk=telechargement.pk).update(demande_le=timezone.now())
    assert (
        "Relancer la préparation"
        not in connecte.get(f"/mes-exports/{telechargement.pk}/").content.decode()
    )
    with django_capture_on_commit_callbacks() as rappels:
        connecte.post(f"/mes-exports/{telechargement.pk}/relancer/")
    assert rappels == []


def test_le_seuil_ne_depasse_jamais_1000_lignes():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aap.settings"}
    env.update(RELAIS_EXPORT_SEUIL_LIGNES="1001", DEBUG="1")
    resultat = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert resultat.returncode == 1
    assert "RELAIS_EXPORT_SEUIL_LIGNES must be at most 1000." in resultat.stderr


@pytest.mark.django_db(transaction=True)
def test_le_meme_export_pret_sur_les_memes_donnees_est_rendu_sans_repreparer(
    connecte, appel, settings, django_assert_max_num_queries
):
    """Redemandé : en préparation, ou prêt aujourd'hui sur des données inchangées, c'est le
    même export (303 vers sa page, sans recompter la liste) ; une candidature modifiée depuis,
    et c'est un nouvel export."""
    settings.RELAIS_EXPORT_SEUIL_LIGNES = 2
    _candidatures(appel, 3)
    filtres = {"etat": "brouillon"}
    reponse = connecte.get(_adresse(appel), filtres)
    premier = Telechargement.objects.get()
    assert reponse["Location"] == f"/mes-exports/{premier.pk}/"
    assert connecte.get(_adresse(appel), filtres)["Location"] == f"/mes-exports/{premier.pk}/"

    assert preparation.preparer(premier.pk) is True
    premier.refresh_from_db()
    assert set(premier.horloge) >= {"candidatures_candidature", "candidatures_structure"}
    assert "telechargements_telechargement" not in premier.horloge
    with django_assert_max_num_queries(5):
        reponse = connecte.get(_adresse(appel), filtres)
    assert reponse["Location"] == f"/mes-exports/{premier.pk}/"
    assert Telechargement.objects.count() == 1

    Candidature.objects.filter(appel=appel).update(modifiee_le=timezone.now())
    reponse = connecte.get(_adresse(appel), filtres)
    second = Telechargement.objects.exclude(pk=premier.pk).get()
    assert reponse["Location"] == f"/mes-exports/{second.pk}/"
    assert second.lignes_total == 3
