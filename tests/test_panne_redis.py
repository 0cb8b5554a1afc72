"""Redis tombe en panne sous un site qui tourne : ce qui est enregistré en base reste un succès.

Le site tourne comme en production, dans un gunicorn lancé par le test avec REDIS_URL sur un
redis-server à lui (les réglages se lisent au démarrage). Redis en marche, le site sert ; puis
Redis s'arrête (connexions refusées) ou se fige (SIGSTOP : le noyau accepte encore les
connexions, rien ne répond, comme un serveur saturé ou une route perdue). Chaque page doit alors
répondre comme d'habitude, vite, depuis la base ; la confirmation d'un dépôt attend dans la
boîte d'envoi et part par le rattrapage quand Redis revient, par un worker lancé avant la panne.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from messagerie.enums import EtatMessage
from messagerie.models import Message
from tests.activite.jeu_de_donnees import construire
from tests.candidatures.factories import AppelFactory, CandidatureFactory, StructureFactory
from tests.candidatures.fichiers import PDF
from tests.factories import MOT_DE_PASSE, UtilisateurFactory
from tests.redis_jetable import RedisJetable, attendre, port_libre
from tests.test_worker import _url_de_la_base_de_test

RACINE = Path(__file__).resolve().parent.parent
# Ce qu'une page peut prendre, Redis en panne, avant qu'on la dise bloquée ; la sonde de santé,
# lue par des machines, essaie deux fois le broker avant de répondre 503.
DUREE_MAX_D_UNE_PAGE = 3.0
DUREE_MAX_DE_LA_SONDE = 5.0

RATTRAPER = """
import datetime, django
django.setup()
from django.utils import timezone
from messagerie.services import rattraper_envois
# Le rattrapage ne reprend que les messages en attente depuis plus de 2 minutes.
print(rattraper_envois(maintenant=timezone.now() + datetime.timedelta(minutes=3)))
"""


def _sert(site):
    try:
        return requests.get(f"{site}/plancher/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


class Navigateur:
    """Une session HTTP comme celle d'un navigateur, sans suivre les redirections : cookies
    gardés et renvoyés (ceux marqués Secure aussi, le site de test étant servi en HTTP), jeton
    CSRF lu dans le formulaire, durée de chaque réponse mesurée."""

    def __init__(self, adresse):
        self.adresse = adresse
        self.session = requests.Session()
        self.durees = {}

    def _requete(self, methode, chemin, nom=None, **options):
        debut = time.monotonic()
        reponse = self.session.request(
            methode, self.adresse + chemin, allow_redirects=False, timeout=15, **options
        )
        if nom:
            self.durees[nom] = round(time.monotonic() - debut, 2)
        for cookie in self.session.cookies:
            cookie.secure = False
        return reponse

    def get(self, chemin, nom=None):
        return self._requete("GET", chemin, nom)

    def envoyer(self, nom, chemin, donnees, *, fichiers=None):
        """Affiche le formulaire, puis l'envoie ; seule la durée de l'envoi est retenue."""
        page = self.get(chemin)
        assert page.status_code == 200, (chemin, page.status_code)
        jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        donnees = {"csrfmiddlewaretoken": jeton, **donnees}
        return self._requete("POST", chemin, nom, data=donnees, files=fichiers)


def _environnement(redis, **variables):
    retirees = ("REDIS_URL", "REDIS_CACHE_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER")
    env = {k: v for k, v in os.environ.items() if k not in retirees}
    env.update(
        DATABASE_URL=_url_de_la_base_de_test(),
        REDIS_URL=f"{redis.url}/0",
        REDIS_CACHE_URL=f"{redis.url}/1",
        DJANGO_SETTINGS_MODULE="tests.reglages_hachage_rapide",
        **variables,
    )
    return env


def _lancer(commande, env, journal):
    return subprocess.Popen(commande, cwd=RACINE, env=env, stdout=journal, stderr=subprocess.STDOUT)


def _terminer(processus):
    processus.terminate()
    try:
        processus.wait(20)
    except subprocess.TimeoutExpired:
        processus.kill()
        processus.wait(10)


@pytest.fixture
def donnees(settings):
    """Une structure et son brouillon à un appel ouvert, rien encore de répondu ; un
    gestionnaire du programme d'un appel dont la cohorte a un bilan (tests/activite/test_bilan.py).
    Mots de passe hachés comme le site les vérifie (tests/reglages_hachage_rapide.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    candidat = UtilisateurFactory(candidat=True, email="ccas@houplines.test", first_name="Camille")
    structure = StructureFactory(nom="CCAS de Houplines", membres=[candidat])
    appel = AppelFactory(
        ouvert=True, avec_questions=True, slug="ami-2026", titre="AMI inclusion numérique 2026"
    )
    brouillon = CandidatureFactory(appel=appel, structure=structure)
    appel_du_bilan, _ = construire()
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    appel_du_bilan.programme.gestionnaires.add(gestionnaire)
    return candidat, brouillon, appel_du_bilan, gestionnaire


def _deposer(navigateur, candidature):
    texte, oui_non, _nombre = candidature.appel.questions.all()
    piece = candidature.appel.pieces_demandees.get()
    return navigateur.envoyer(
        "dépôt de la candidature",
        f"/candidatures/{candidature.pk}/formulaire/",
        {f"q_{texte.pk}": "Des seniors isolés.", f"q_{oui_non.pk}": "non", "action": "deposer"},
        fichiers={f"piece_{piece.pk}": ("statuts.pdf", PDF, "application/pdf")},
    )


def _journal(chemin):
    return Path(chemin).read_text(errors="replace")[-6000:]


class Installation:
    """Ce que lance `installation` : le redis-server, l'adresse du site, l'environnement des
    processus, leurs journaux et la boîte où le worker écrit les courriels."""

    def __init__(self, tmp_path):
        self.redis = RedisJetable(tmp_path)
        self.site = f"http://127.0.0.1:{port_libre()}"
        self.boite = tmp_path / "courriels"
        self.boite.mkdir()
        self.env = _environnement(
            self.redis, MEDIA_ROOT=str(tmp_path / "media"), EMAIL_URL=f"filemail:///{self.boite}"
        )
        self.journal_web = tmp_path / "web.log"
        self.journal_worker = tmp_path / "worker.log"

    def rattraper(self):
        """Le rattrapage de la boîte d'envoi, tel que beat le lance : renvoie son compte."""
        rattrapage = subprocess.run(
            [sys.executable, "-c", RATTRAPER],
            cwd=RACINE,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert rattrapage.returncode == 0, rattrapage.stderr
        return int(rattrapage.stdout.strip().splitlines()[-1])


@pytest.fixture
def installation(tmp_path, transactional_db):
    """Un redis-server propre au test, le site dans gunicorn et un worker Celery dessus, tous
    deux prêts (le worker connecté : c'est une connexion perdue qu'il devra reprendre)."""
    installation = Installation(tmp_path)
    processus = []
    try:
        installation.redis.demarrer()
        with (
            open(installation.journal_web, "w") as sortie_web,
            open(installation.journal_worker, "w") as sortie_worker,
        ):
            processus.append(
                _lancer(
                    [sys.executable, "-m", "gunicorn", "aap.wsgi:application", "--bind"]
                    + [installation.site.removeprefix("http://"), "--workers", "1"]
                    + ["--timeout", "60"],
                    installation.env,
                    sortie_web,
                )
            )
            processus.append(
                _lancer(
                    [sys.executable, "-m", "celery", "-A", "aap", "worker", "--pool=solo"]
                    + ["--without-gossip", "--without-mingle", "--loglevel=INFO"],
                    installation.env,
                    sortie_worker,
                )
            )
        # Le port s'ouvre avant que le worker de gunicorn ait chargé Django.
        assert attendre(lambda: _sert(installation.site), 90, pas=0.5), _journal(
            installation.journal_web
        )
        assert attendre(lambda: "ready." in _journal(installation.journal_worker), 90, pas=0.5), (
            _journal(installation.journal_worker)
        )
        yield installation
    finally:
        for un_processus in processus:
            _terminer(un_processus)
        installation.redis.fermer()


@pytest.mark.redis
@pytest.mark.parametrize("panne", ["arret", "gel"])
@pytest.mark.django_db(transaction=True)
def test_redis_en_panne_les_pages_repondent_et_le_depot_part_au_retour(
    panne, donnees, installation
):
    candidat, brouillon, appel_du_bilan, gestionnaire = donnees
    redis, site = installation.redis, installation.site
    # Redis en marche : le site s'en sert (sonde, sessions, cache, file). Le candidat a son
    # formulaire ouvert et le gestionnaire est connecté quand Redis tombe.
    assert requests.get(f"{site}/sante/", timeout=15).status_code == 200
    deposant, gestion = Navigateur(site), Navigateur(site)
    for navigateur, personne in ((deposant, candidat), (gestion, gestionnaire)):
        reponse = navigateur.envoyer(
            None, "/comptes/login/", {"login": personne.email, "password": MOT_DE_PASSE}
        )
        assert reponse.status_code == 302, reponse.status_code

    if panne == "arret":
        redis.arreter()
    else:
        redis.figer()

    debut = time.monotonic()
    sante = requests.get(f"{site}/sante/", timeout=15)
    duree_sante = round(time.monotonic() - debut, 2)
    connexion, anonyme = Navigateur(site), Navigateur(site)
    connecte = connexion.envoyer(
        "connexion", "/comptes/login/", {"login": candidat.email, "password": MOT_DE_PASSE}
    )
    tableau = connexion.get("/tableau-de-bord/")
    reinitialisation = anonyme.envoyer(
        "mot de passe oublié", "/comptes/password/reset/", {"email": candidat.email}
    )
    fin_reinitialisation = anonyme.get("/comptes/password/reset/done/")
    bilan = gestion.get(f"/bilans/{appel_du_bilan.slug}/", nom="bilan de la cohorte")
    depot = _deposer(deposant, brouillon)
    suivi = deposant.get(f"/candidatures/{brouillon.pk}/")

    durees = {}
    for navigateur in (connexion, anonyme, gestion, deposant):
        durees.update(navigateur.durees)
    print(f"\nRedis en panne ({panne}), durées (s) : sonde {duree_sante}, pages {durees}")

    assert {
        "sonde": sante.status_code,
        "connexion": (connecte.status_code, connecte.headers.get("Location")),
        "tableau de bord": tableau.status_code,
        "mot de passe oublié": (
            reinitialisation.status_code,
            reinitialisation.headers.get("Location"),
        ),
        "bilan": bilan.status_code,
        "dépôt": (depot.status_code, depot.headers.get("Location")),
    } == {
        "sonde": 503,
        "connexion": (302, "/tableau-de-bord/"),
        "tableau de bord": 200,
        "mot de passe oublié": (302, "/comptes/password/reset/done/"),
        "bilan": 200,
        "dépôt": (302, f"/candidatures/{brouillon.pk}/"),
    }, _journal(installation.journal_web)
    assert [nom for nom, duree in durees.items() if duree > DUREE_MAX_D_UNE_PAGE] == [], durees
    assert "<p>Bonjour Camille.</p>" in tableau.text
    assert "Nous vous avons envoyé un e-mail" in fin_reinitialisation.text
    # Le bilan est calculé depuis la base : les chiffres de tests/activite/test_bilan.py.
    assert '<dt>Structures accompagnées</dt><dd class="fs-3">3</dd>' in bilan.text
    assert '<dt>Personnes accompagnées</dt><dd class="fs-3">6</dd>' in bilan.text
    assert "Votre candidature est déposée." in suivi.text
    assert Candidature.objects.get(pk=brouillon.pk).etat == EtatCandidature.DEPOSEE
    en_attente = {
        (message.type, message.destinataire, message.etat) for message in Message.objects.all()
    }
    assert en_attente == {
        ("compte_password_reset_key", "ccas@houplines.test", EtatMessage.A_ENVOYER),
        ("candidature_deposee", "ccas@houplines.test", EtatMessage.A_ENVOYER),
    }

    # Redis revient ; le rattrapage (lancé régulièrement par beat) remet les deux
    # courriels en file, et le worker, lancé avant la panne, s'est reconnecté et les envoie.
    if panne == "arret":
        redis.demarrer()
    else:
        redis.degeler()
    assert installation.rattraper() == 2
    assert attendre(
        lambda: set(Message.objects.values_list("etat", flat=True)) == {EtatMessage.ENVOYE},
        60,
        pas=0.3,
    ), (list(Message.objects.values_list("type", "etat")), _journal(installation.journal_worker))
    confirmation = Message.objects.get(type="candidature_deposee")
    assert (confirmation.tentatives, confirmation.pieces_jointes.count()) == (1, 1)
    courriels = "".join(fichier.read_text() for fichier in installation.boite.glob("*"))
    assert courriels.count("\nTo: ccas@houplines.test\n") == 2


@pytest.mark.redis
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_redis_arrete_la_structure_se_connecte_et_depose_dans_chromium(
    page, donnees, installation, verifier_accessibilite, tmp_path
):
    candidat, brouillon, _, _ = donnees
    site = installation.site
    installation.redis.arreter()

    page.goto(site + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Courriel").fill("ccas@houplines.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(site + "/tableau-de-bord/")
    expect(page.get_by_text("Bonjour Camille.")).to_be_visible()

    page.get_by_role("link", name="AMI inclusion numérique 2026").first.click()
    page.get_by_role("link", name="Continuer ma candidature").click()
    page.get_by_label("Quels publics accueillez-vous ?").fill("Des seniors isolés.")
    page.get_by_role("group", name="Disposez-vous d'une salle équipée ?").get_by_label(
        "Non"
    ).check()
    fichier = tmp_path / "statuts.pdf"
    fichier.write_bytes(PDF)
    page.get_by_label("Statuts ou délibération").set_input_files(str(fichier))
    expect(page.locator("#panneau-completude")).to_contain_text("Rien ne manque")
    page.get_by_role("button", name="Déposer la candidature").click()

    expect(page.locator(".alert-success").first).to_have_text(
        "Votre candidature est déposée. Une confirmation avec le récépissé est envoyée "
        "par courriel."
    )
    expect(page.locator("main .badge").first).to_have_text("Déposée")
    verifier_accessibilite(page)
    assert Candidature.objects.get(pk=brouillon.pk).etat == EtatCandidature.DEPOSEE
    assert list(Message.objects.values_list("type", "etat")) == [
        ("candidature_deposee", EtatMessage.A_ENVOYER)
    ]
