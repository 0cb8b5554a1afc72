"""Banc d'essai de Relais à l'échelle d'un programme national : `make bench`.

1. recrée la base PostgreSQL du banc (DATABASE_URL), la migre, importe toutes les communes
   (chronométré) et écrit le jeu de données par COPY (chronométré) ;
2. démarre gunicorn (réglages `bench.settings`, DEBUG=0) sur la boucle locale ;
3. pour le plancher puis chaque page clé, lance `bench/charge.py` dans un second processus :
   p50, p95, requêtes SQL par page, rapport au plancher ;
4. chronomètre le balayage des relances (deux fois : la seconde ne doit rien créer), l'import
   des communes et le bilan de clôture de la cohorte ;
5. imprime un tableau et l'écrit dans bench/resultats.md et bench/resultats.json.
"""

import argparse
import io
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from datetime import datetime
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
BASE_PAR_DEFAUT = "postgres://postgres@127.0.0.1:5432/relais_bench"
REDIS_PAR_DEFAUT = "redis://127.0.0.1:6379/13"


def _environnement():
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", BASE_PAR_DEFAUT)
    env.setdefault("REDIS_URL", REDIS_PAR_DEFAUT)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["DEBUG"] = "0"
    env.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    env["SECURE_SSL_REDIRECT"] = "0"
    env["STATIC_MANIFEST"] = "0"
    env.setdefault("LOG_LEVEL", "WARNING")
    # Les limites de débit de l'API restent actives (leur coût est mesuré), mais assez hautes
    # pour que la charge du banc ne soit pas ralentie par elles.
    env["RELAIS_API_LIMITE_JETON"] = "1000000/min"
    env["RELAIS_API_LIMITE_ANONYME"] = "1000000/min"
    return env


def _recreer_base(url):
    import psycopg

    morceaux = urllib.parse.urlparse(url)
    nom = morceaux.path.lstrip("/")
    maintenance = morceaux._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connexion:
        connexion.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [nom],
        )
        connexion.execute(f'DROP DATABASE IF EXISTS "{nom}"')
        connexion.execute(f'CREATE DATABASE "{nom}"')


def _chrono(fonction, *args, **kwargs):
    debut = time.perf_counter()
    resultat = fonction(*args, **kwargs)
    return resultat, time.perf_counter() - debut


def _port_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session(utilisateur):
    """Une session ouverte comme par la connexion : mot de passe, puis code de l'application
    d'authentification si le compte en a une (sans lui, un gestionnaire est renvoyé vers la
    saisie du code : comptes.middleware.DoubleAuthentificationMiddleware)."""
    from importlib import import_module

    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.test import RequestFactory

    # Le moteur de sessions des réglages (en cache avec Redis), comme une vraie connexion.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(utilisateur.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = utilisateur.get_session_auth_hash()
    requete = RequestFactory().get("/")
    requete.session, requete.user = session, utilisateur
    record_authentication(requete, utilisateur, "password", email=utilisateur.email)
    application = Authenticator.objects.filter(
        user=utilisateur, type=Authenticator.Type.TOTP
    ).first()
    if application is not None:
        record_authentication(requete, utilisateur, "mfa", id=application.pk, type="totp")
    session.create()
    return session.session_key


def _jetons_api(gestionnaire):
    """Les jetons de l'API pour le banc (« Bearer … », passés à charge.py comme un cookie) : le
    gestionnaire sur le programme de l'appel national, un observateur sur le même programme."""
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from api.models import JetonAPI
    from comptes.models import Utilisateur
    from programmes.models import Appel

    programme = Appel.objects.get(slug="banc-national").programme
    observateur, _cree = Utilisateur.objects.get_or_create(email="observateur-banc@exemple.test")
    observateur.groups.add(Group.objects.get_or_create(name="observateur")[0])
    jetons = {}
    for role, utilisateur in (("api_gestionnaire", gestionnaire), ("api_observateur", observateur)):
        _jeton, clair = JetonAPI.objects.emettre(
            utilisateur=utilisateur,
            nom="banc",
            programme=programme,
            expire_le=timezone.now() + datetime.timedelta(days=1),
        )
        jetons[role] = f"Bearer {clair}"
    return jetons


def _pages(echelle):
    """(nom, chemin, rôle, clients, durée, minimum par client)."""
    from accompagnement.models import PlanAccompagnement
    from candidatures.models import Candidature
    from programmes.models import Appel

    national = Appel.objects.get(slug="banc-national")
    classement = Appel.objects.get(slug="banc-classement")
    candidature = Candidature.objects.filter(appel=national, etat="deposee").order_by("pk")[0]
    plan = PlanAccompagnement.objects.order_by("pk")[0]
    return [
        ("Plancher (vue triviale)", "/plancher/", "candidat", {}),
        ("Tableau de bord candidat", "/tableau-de-bord/", "candidat", {}),
        ("Structure du candidat et ses candidatures", "/structures/1/", "candidat", {}),
        (
            f"Liste des candidatures filtrée ({echelle.structures} dans l'appel)",
            f"/gestion/appels/{national.pk}/candidatures/?etat=deposee&tri=structure",
            "gestionnaire",
            {},
        ),
        (
            "Détail d'une candidature",
            f"/gestion/candidatures/{candidature.pk}/",
            "gestionnaire",
            {},
        ),
        (
            f"Classement d'un appel de {echelle.classement} candidatures",
            f"/gestion/appels/{classement.pk}/classement/",
            "gestionnaire",
            {},
        ),
        (
            f"Frise d'une coach ({min(echelle.plans_par_coach, echelle.cohorte)} plans)",
            "/accompagnement/",
            "coach",
            {},
        ),
        ("Plan d'accompagnement (100 jalons)", f"/accompagnement/plans/{plan.pk}/", "coach", {}),
        (
            f"Bilan de cohorte ({echelle.cohorte} structures)",
            "/bilans/banc-cohorte/",
            "gestionnaire",
            {},
        ),
        ("API : appels ouverts (sans jeton)", "/api/v1/appels/", "anonyme", {}),
        (
            "API : appels du programme (jeton de gestionnaire)",
            "/api/v1/appels/?taille=50",
            "api_gestionnaire",
            {},
        ),
        (
            f"API : candidatures d'un appel ({echelle.structures} dans l'appel, 50 par page)",
            f"/api/v1/candidatures/?appel={national.pk}&etat=deposee&taille=50",
            "api_gestionnaire",
            {},
        ),
        (
            "API : une candidature, ses réponses et ses pièces",
            f"/api/v1/candidatures/{candidature.pk}/",
            "api_gestionnaire",
            {},
        ),
        (
            f"API : bilan de cohorte masqué ({echelle.cohorte} structures, observateur)",
            "/api/v1/bilans/banc-cohorte/",
            "api_observateur",
            {},
        ),
        (
            # Au-delà de RELAIS_EXPORT_SEUIL_LIGNES, la demande répond tout de suite (303 vers
            # la page de l'export) : mesurée comme une page. La préparation par le worker est
            # mesurée à part (opérations : « Export … préparé par le worker »).
            f"Demande d'export CSV ({echelle.structures} lignes, 303 attendu)",
            f"/gestion/appels/{national.pk}/candidatures/export.csv",
            "gestionnaire",
            {},
        ),
        (
            # Au-delà de RELAIS_EXPORT_SEUIL_LIGNES, la demande répond tout de suite (303 vers
            # la page de l'export) : mesurée comme une page. La préparation par le worker est
            # mesurée à part (opérations : « Export … préparé par le worker »).
            f"Demande d'export XLSX ({echelle.structures} lignes, 303 attendu)",
            f"/gestion/appels/{national.pk}/candidatures/export.xlsx",
            "gestionnaire",
            {},
        ),
    ]


JOURNAL_GUNICORN = RACINE / "var" / "bench-gunicorn.log"


def _fin_du_journal(chemin, lignes=40):
    """Les dernières lignes du journal de gunicorn, pour dire pourquoi il ne répond pas."""
    try:
        fin = chemin.read_text(errors="replace").splitlines()[-lignes:]
    except OSError as erreur:
        return f"(journal illisible : {erreur})"
    return "\n".join(fin) if fin else "(journal vide)"


def _attendre_serveur(port, processus, delai=180, journal=JOURNAL_GUNICORN):
    """Attend que gunicorn réponde 200 sur /plancher/, au plus `delai` secondes (une machine
    chargée met du temps à démarrer les workers). S'il s'arrête ou ne répond pas, l'erreur
    donne son code de sortie ou la dernière réponse, et la fin de son journal."""
    import http.client

    fin = time.monotonic() + delai
    dernier_essai = "aucune réponse"
    while time.monotonic() < fin:
        code = processus.poll()
        if code is not None:
            raise RuntimeError(
                f"gunicorn s'est arrêté au démarrage (code de sortie {code}). "
                f"Fin de {journal} :\n{_fin_du_journal(journal)}"
            )
        connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connexion.request("GET", "/plancher/", headers={"Host": "127.0.0.1"})
            statut = connexion.getresponse().status
            if statut == 200:
                return
            dernier_essai = f"statut HTTP {statut}"
        except (OSError, http.client.HTTPException) as erreur:
            dernier_essai = f"{type(erreur).__name__} : {erreur}"
        finally:
            connexion.close()
        time.sleep(0.5)
    raise RuntimeError(
        f"gunicorn ne répond pas 200 sur /plancher/ après {delai:g} s (dernier essai : "
        f"{dernier_essai} ; --attente-serveur pour attendre plus). "
        f"Fin de {journal} :\n{_fin_du_journal(journal)}"
    )


def _mesurer_pages(env, pages, cookies, args):
    port = _port_libre()
    JOURNAL_GUNICORN.parent.mkdir(exist_ok=True)
    journal = open(JOURNAL_GUNICORN, "w")  # noqa: SIM115
    serveur = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "aap.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        cwd=RACINE,
        env=env,
        stdout=journal,
        stderr=subprocess.STDOUT,
    )
    resultats = []
    try:
        _attendre_serveur(port, serveur, args.attente_serveur)
        for nom, chemin, role, options in pages:
            commande = [
                sys.executable,
                str(RACINE / "bench" / "charge.py"),
                "--port",
                str(port),
                "--chemin",
                chemin,
                "--cookie",
                cookies[role],
                "--clients",
                str(options.get("clients", args.clients)),
                "--duree",
                str(options.get("duree", args.duree)),
                "--minimum",
                str(options.get("minimum", 1)),
                "--echauffement",
                "1" if options else "3",
            ]
            sortie = subprocess.run(commande, capture_output=True, text=True, check=True, env=env)
            mesure = json.loads(sortie.stdout)
            mesure["nom"] = nom
            resultats.append(mesure)
            print(
                f"  {nom}: p50 {mesure['p50_ms']} ms, p95 {mesure['p95_ms']} ms, "
                f"SQL {mesure['requetes_sql']}, statuts {mesure['statuts']}",
                flush=True,
            )
    finally:
        serveur.send_signal(signal.SIGTERM)
        try:
            serveur.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serveur.kill()
            serveur.wait()
        journal.close()
    return resultats


def _operations(echelle):
    from django.core.management import call_command
    from django.utils import timezone

    from activite.bilan import calculer_bilan
    from programmes.models import Appel
    from relances.models import Relance
    from relances.selectors import relances_dues
    from relances.services import balayer

    operations = []
    from accompagnement.models import Jalon

    jalons = Jalon.objects.count()
    # La sélection seule (ce que lit le balayage) puis le balayage complet, qui la refait.
    dues, duree_selection = _chrono(lambda: list(relances_dues(timezone.now())))
    premier, duree = _chrono(balayer)
    relances = Relance.objects.count()
    second, duree_second = _chrono(balayer)
    exactement_une_fois = second.total == 0 and Relance.objects.count() == relances
    operations.append(
        {
            "nom": f"Balayage des relances ({jalons} jalons)",
            "secondes": round(duree, 2),
            "detail": (
                f"sélection des dues seule {duree_selection:.2f} s ({len(dues)} dues) ; "
                f"{premier.total} relances créées ({premier.mises_en_envoi} messages) ; "
                f"second passage {round(duree_second, 2)} s, {second.total} créée(s) : "
                + ("une seule fois, vérifié" if exactement_une_fois else "DOUBLONS")
            ),
            "cible_s": 30,
        }
    )

    appel = Appel.objects.get(slug="banc-cohorte")
    durees = []
    for _ in range(3):
        bilan, duree = _chrono(calculer_bilan, appel)
        durees.append(duree)
    operations.append(
        {
            "nom": f"Bilan de clôture ({len(bilan.par_structure)} structures)",
            "secondes": round(sorted(durees)[1], 2),
            "detail": f"médiane de 3 calculs ({', '.join(f'{d:.2f}' for d in durees)} s)",
            "cible_s": 2,
        }
    )

    _, duree = _chrono(call_command, "import_territoires", verbosity=0, stdout=io.StringIO())
    operations.append(
        {
            "nom": "Import de toutes les communes (mise à jour)",
            "secondes": round(duree, 2),
            "detail": "import_territoires sur une base qui les a déjà",
            "cible_s": None,
        }
    )
    operations += _operations_exports()
    return operations


def _operations_exports():
    """La préparation d'un export de l'appel national par le worker, en CSV puis en XLSX : la
    fonction de la tâche, dans ce processus, sur les données du banc ; durée et lignes/s. Les
    exports et leurs fichiers sont effacés ensuite."""
    from django.db import transaction

    from programmes.models import Appel
    from telechargements import preparation
    from telechargements.models import Telechargement

    national = Appel.objects.get(slug="banc-national")
    lignes = national.candidatures.count()
    operations = []
    for format_ in ("csv", "xlsx"):
        telechargement = Telechargement.objects.create(
            demandeur_id=1,
            genre="candidatures",
            appel=national,
            format=format_,
            langue="fr",
            lignes_total=lignes,
        )
        fini, duree = _chrono(preparation.preparer, telechargement.pk)
        telechargement.refresh_from_db()
        faites = telechargement.lignes_faites
        operations.append(
            {
                "nom": f"Export {format_.upper()} préparé par le worker ({lignes} lignes)",
                "secondes": round(duree, 2),
                "detail": (
                    f"durée {duree:.2f} s, {faites / duree:.0f} lignes/s ; "
                    f"{faites} lignes écrites, {telechargement.fichier.size} octets"
                    + ("" if fini and faites == lignes else " — INCOMPLET")
                ),
                "cible_s": None,
            }
        )
        with transaction.atomic():
            telechargement.delete()  # son fichier part au commit
    return operations


def _tableau(contexte, pages, operations):
    plancher = pages[0]
    lignes = [
        f"Banc d'essai du {contexte['date']} — {contexte['machine']} — "
        f"échelle {contexte['echelle']}",
        "",
        f"Données : {contexte['donnees']}",
        "",
        f"Serveur : gunicorn, {contexte['workers']} workers synchrones ; charge : "
        f"{contexte['clients']} clients concurrents dans un second processus, sur 127.0.0.1.",
        "",
        "| page | p50 (ms) | p95 (ms) | p95 / plancher | requêtes SQL | requêtes mesurées "
        "| octets | sans cache de pages : p95 (ms) | p95 / plancher | requêtes SQL |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    plancher_sans_cache = plancher.get("sans_cache_de_pages", {}).get("p95_ms")

    def rapport(p95, reference):
        return f"{p95 / reference:.1f}×" if reference else "—"

    for mesure in pages:
        sql = ", ".join(str(v) for v in mesure["requetes_sql"])
        statuts = mesure["statuts"]
        non_200 = {k: v for k, v in statuts.items() if str(k) != "200"}
        avertissement = f" ⚠ {non_200}" if non_200 else ""
        calculee = mesure.get("sans_cache_de_pages")
        sans_cache = (
            f"{calculee['p95_ms']} | {rapport(calculee['p95_ms'], plancher_sans_cache)} | "
            + ", ".join(str(v) for v in calculee["requetes_sql"])
            if calculee
            else "— | — | —"
        )
        lignes.append(
            f"| {mesure['nom']}{avertissement} | {mesure['p50_ms']} | {mesure['p95_ms']} | "
            f"{rapport(mesure['p95_ms'], plancher['p95_ms'])} | {sql} | {mesure['requetes']} | "
            f"{mesure['octets']} | {sans_cache} |"
        )
    lignes += ["", "| opération | durée (s) | cible | détail |", "| --- | ---: | ---: | --- |"]
    for operation in operations:
        cible = f"< {operation['cible_s']} s" if operation["cible_s"] else "—"
        lignes.append(
            f"| {operation['nom']} | {operation['secondes']} | {cible} | {operation['detail']} |"
        )
    return "\n".join(lignes) + "\n"


def main():
    parser = argparse.ArgumentParser(description="Banc d'essai de Relais (issue #10).")
    parser.add_argument("--echelle", type=float, default=float(os.environ.get("ECHELLE", 1)))
    parser.add_argument("--garder", action="store_true", help="réutilise la base déjà générée")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--duree", type=float, default=15, help="secondes de charge par page")
    parser.add_argument("--sortie", default=str(RACINE / "bench" / "resultats"))
    parser.add_argument(
        "--un-seul-passage",
        action="store_true",
        help="ne mesure pas les pages une seconde fois sans le cache de pages",
    )
    parser.add_argument(
        "--attente-serveur",
        type=float,
        default=float(os.environ.get("BENCH_ATTENTE_SERVEUR", 180)),
        help="secondes d'attente au plus pour que gunicorn réponde (machine chargée)",
    )
    args = parser.parse_args()

    env = _environnement()
    os.environ.update(env)
    sys.path.insert(0, str(RACINE))
    debut_total = time.perf_counter()

    if not args.garder:
        print("Base du banc recréée :", env["DATABASE_URL"], flush=True)
        _recreer_base(env["DATABASE_URL"])
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=RACINE,
            env=env,
            check=True,
        )

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from bench.generer import Echelle, generer
    from comptes.models import Utilisateur

    echelle = Echelle(args.echelle)
    cache.clear()
    import_initial = None
    generation = None
    if not args.garder:
        _, import_initial = _chrono(
            call_command, "import_territoires", verbosity=0, stdout=io.StringIO()
        )
        print(f"Import initial des communes : {import_initial:.1f} s", flush=True)
        comptes, generation = generer(echelle)
        print(f"Jeu de données écrit en {generation:.1f} s : {comptes}", flush=True)

    from accompagnement.models import Jalon
    from activite.models import Participation
    from candidatures.models import Candidature
    from evaluation.models import MembreJury, Note
    from programmes.models import Appel
    from structures.models import Structure

    donnees = (
        f"{Appel.objects.count()} appels, {Structure.objects.count()} structures, "
        f"{Candidature.objects.count()} candidatures, {MembreJury.objects.count()} membres de "
        f"jury, {Note.objects.count()} notes, {Jalon.objects.values('plan').distinct().count()} "
        f"plans, {Jalon.objects.count()} jalons, {Participation.objects.count()} participations"
    )
    if generation is not None:
        donnees += f" — écrites par COPY en {generation:.0f} s"

    utilisateurs = {
        "candidat": Utilisateur.objects.get(pk=2),
        "gestionnaire": Utilisateur.objects.get(pk=1),
        "coach": Utilisateur.objects.filter(groups__name="coach").order_by("pk").first(),
    }
    cookies = {role: _session(u) for role, u in utilisateurs.items()}
    cookies.update(_jetons_api(utilisateurs["gestionnaire"]))
    cookies["anonyme"] = ""
    pages = _pages(echelle)
    print("Pages sous charge :", flush=True)
    mesures = _mesurer_pages(env, pages, cookies, args)
    if not args.un_seul_passage:
        # Le même parcours, chaque page calculée à chaque requête : ce que coûte une page que
        # le cache n'a pas encore (première visite, ou juste après une écriture).
        print("Pages sous charge, sans le cache de pages :", flush=True)
        sans_cache = _mesurer_pages({**env, "RELAIS_PAGES_EN_CACHE": "0"}, pages, cookies, args)
        for mesure, calculee in zip(mesures, sans_cache, strict=True):
            mesure["sans_cache_de_pages"] = calculee
    print("Opérations :", flush=True)
    operations = _operations(echelle)
    if import_initial is not None:
        operations.insert(
            2,
            {
                "nom": "Import de toutes les communes (base vide)",
                "secondes": round(import_initial, 2),
                "detail": "import_territoires, fichiers livrés avec le projet",
                "cible_s": None,
            },
        )
    for operation in operations:
        print(f"  {operation['nom']}: {operation['secondes']} s — {operation['detail']}")

    contexte = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cœurs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        "echelle": args.echelle,
        "donnees": donnees,
        "workers": args.workers,
        "clients": args.clients,
        "duree_totale_s": round(time.perf_counter() - debut_total, 1),
    }
    tableau = _tableau(contexte, mesures, operations)
    tableau += f"\nDurée totale du banc : {contexte['duree_totale_s']} s.\n"
    print()
    print(tableau)
    Path(args.sortie + ".md").write_text(tableau)
    Path(args.sortie + ".json").write_text(
        json.dumps(
            {"contexte": contexte, "pages": mesures, "operations": operations},
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
