"""Profil d'une page du banc, dans le processus (sans gunicorn) : où passe son temps.

Sur la base déjà générée par `make bench` (ou sa copie : DATABASE_URL), ouvre une session du
rôle comme `bench/run.py`, sert la page N fois avec le client de test de Django, imprime la
médiane, le nombre de requêtes SQL, puis le profil (cProfile) d'une requête, trié par temps
cumulé.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench \\
        .venv/bin/python bench/profil.py --role gestionnaire --chemin /gestion/ [--fois 20]

Rôles : candidat, gestionnaire, coach, anonyme, api_gestionnaire, api_observateur.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chemin", required=True)
    parser.add_argument("--role", default="gestionnaire")
    parser.add_argument("--fois", type=int, default=20)
    parser.add_argument("--lignes", type=int, default=40, help="lignes du profil imprimées")
    parser.add_argument("--tri", default="cumulative", help="tri du profil (cumulative, tottime)")
    args = parser.parse_args()

    sys.path.insert(0, str(RACINE))
    from bench.run import _environnement

    env = _environnement()
    os.environ.update({k: v for k, v in env.items() if k not in os.environ or k == "DEBUG"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import _jetons_api, _session
    from comptes.models import Utilisateur

    client = Client(HTTP_HOST="127.0.0.1")
    entetes = {}
    if args.role.startswith("api_"):
        gestionnaire = Utilisateur.objects.get(pk=1)
        entetes["HTTP_AUTHORIZATION"] = _jetons_api(gestionnaire)[args.role]
    elif args.role != "anonyme":
        utilisateurs = {
            "candidat": lambda: Utilisateur.objects.get(pk=2),
            "gestionnaire": lambda: Utilisateur.objects.get(pk=1),
            "coach": lambda: (
                Utilisateur.objects.filter(groups__name="coach").order_by("pk").first()
            ),
        }
        client.cookies["sessionid"] = _session(utilisateurs[args.role]())

    def servir():
        reponse = client.get(args.chemin, **entetes)
        if hasattr(reponse, "streaming_content"):
            for _morceau in reponse.streaming_content:
                pass
        return reponse

    reponse = servir()
    print(f"statut {reponse.status_code}")
    durees = []
    for _ in range(args.fois):
        debut = time.perf_counter()
        servir()
        durees.append((time.perf_counter() - debut) * 1000)
    with CaptureQueriesContext(connection) as requetes:
        servir()
    print(
        f"médiane {statistics.median(durees):.1f} ms, min {min(durees):.1f} ms, "
        f"{len(requetes)} requêtes SQL ({sum(float(q['time']) for q in requetes) * 1000:.1f} ms)"
    )
    for requete in requetes:
        print(f"  {float(requete['time']) * 1000:6.1f} ms  {requete['sql'][:160]}")
    profil = cProfile.Profile()
    profil.enable()
    servir()
    profil.disable()
    sortie = io.StringIO()
    pstats.Stats(profil, stream=sortie).sort_stats(args.tri).print_stats(args.lignes)
    print(sortie.getvalue())


if __name__ == "__main__":
    main()
