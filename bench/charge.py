"""Générateur de charge : N clients concurrents (fils d'exécution, http.client) sur une adresse.

Lancé comme un second processus par `bench/run.py`, pour que la mesure ne partage ni l'interpréteur
ni le GIL du serveur. Écrit sur la sortie standard un JSON : p50, p95, nombre de requêtes, erreurs,
requêtes SQL (en-tête X-Requetes-SQL) et taille de la réponse.

    python bench/charge.py --port 8765 --chemin /plancher/ --clients 4 --duree 15
"""

import argparse
import http.client
import json
import secrets
import statistics
import string
import threading
import time

# Comme Django en tire un (32 lettres ou chiffres), une fois pour tout ce processus.
SECRET_CSRF = "".join(secrets.choice(string.ascii_letters + string.digits) for _rang in range(32))


def _une_requete(port, chemin, cookie):
    connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    entetes = {"Host": "127.0.0.1"}
    if cookie.startswith("Bearer "):
        entetes["Authorization"] = cookie  # un jeton de l'API
    elif cookie:
        # Le cookie CSRF qu'un navigateur garde depuis sa première page : sans lui, chaque page
        # à formulaire tire un secret neuf (et n'est jamais gardée en cache).
        entetes["Cookie"] = f"sessionid={cookie}; csrftoken={SECRET_CSRF}"
    debut = time.perf_counter()
    connexion.request("GET", chemin, headers=entetes)
    reponse = connexion.getresponse()
    taille = 0
    while morceau := reponse.read(65536):
        taille += len(morceau)
    duree = time.perf_counter() - debut
    connexion.close()
    return duree, reponse.status, reponse.getheader("X-Requetes-SQL"), taille


def percentile(valeurs, rang):
    if not valeurs:
        return None
    ordonnees = sorted(valeurs)
    index = min(len(ordonnees) - 1, max(0, round(rang / 100 * len(ordonnees) + 0.5) - 1))
    return ordonnees[index]


def charger(port, chemin, cookie, clients, duree, minimum, echauffement):
    for _ in range(echauffement):
        try:
            _une_requete(port, chemin, cookie)
        except (OSError, http.client.HTTPException):
            break
    durees, statuts, requetes_sql, tailles = [], {}, set(), set()
    verrou = threading.Lock()
    fin = time.perf_counter() + duree

    def client():
        faites = 0
        while time.perf_counter() < fin or faites < minimum:
            try:
                mesure, statut, sql, taille = _une_requete(port, chemin, cookie)
            except (OSError, http.client.HTTPException) as erreur:
                # Un worker tué (délai dépassé, mémoire) coupe la connexion : on le compte.
                mesure, statut, sql, taille = 0.0, type(erreur).__name__, None, 0
            faites += 1
            with verrou:
                durees.append(mesure)
                statuts[statut] = statuts.get(statut, 0) + 1
                requetes_sql.add(sql)
                tailles.add(taille)

    fils = [threading.Thread(target=client) for _ in range(clients)]
    debut = time.perf_counter()
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    ecoule = time.perf_counter() - debut
    return {
        "chemin": chemin,
        "clients": clients,
        "requetes": len(durees),
        "debit_par_s": round(len(durees) / ecoule, 2),
        "p50_ms": round(percentile(durees, 50) * 1000, 1),
        "p95_ms": round(percentile(durees, 95) * 1000, 1),
        "moyenne_ms": round(statistics.fmean(durees) * 1000, 1),
        "statuts": statuts,
        "requetes_sql": sorted(requetes_sql, key=lambda v: (v is None, v)),
        "octets": max(tailles),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--chemin", required=True)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--duree", type=float, default=15, help="secondes de charge")
    parser.add_argument("--minimum", type=int, default=1, help="requêtes au moins par client")
    parser.add_argument("--echauffement", type=int, default=2)
    args = parser.parse_args()
    resultat = charger(
        args.port,
        args.chemin,
        args.cookie,
        args.clients,
        args.duree,
        args.minimum,
        args.echauffement,
    )
    print(json.dumps(resultat))


if __name__ == "__main__":
    main()
