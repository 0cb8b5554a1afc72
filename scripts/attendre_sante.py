#!/usr/bin/env python3
"""Waits until Relais answers 200 on /sante/ (database and broker reachable): a deployment's
readiness check, or the step after starting gunicorn before traffic is sent to it.

    scripts/attendre_sante.py [URL] [--delai SECONDES]

Exit 0 as soon as it is healthy, 1 when the delay runs out (with the last answer). Standard
library only, so that it runs before anything is installed.
"""

import argparse
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def attendre(url, delai, pause=0.5):
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return False, f"adresse refusée (http ou https seulement) : {url}"
    fin = time.monotonic() + delai
    derniere = "aucune réponse"
    while time.monotonic() < fin:
        try:
            with urllib.request.urlopen(url, timeout=5) as reponse:  # noqa: S310  # nosec B310  schéma vérifié plus haut
                if reponse.status == 200:
                    return True, "HTTP 200"
                derniere = f"HTTP {reponse.status}"
        except urllib.error.HTTPError as erreur:
            derniere = f"HTTP {erreur.code}"
        except OSError as erreur:
            derniere = str(erreur)
        time.sleep(pause)
    return False, derniere


def main(arguments=None):
    lecteur = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    lecteur.add_argument("url", nargs="?", default="http://127.0.0.1:8000/sante/")
    lecteur.add_argument("--delai", type=float, default=60.0, help="en secondes (60)")
    options = lecteur.parse_args(arguments)
    pret, derniere = attendre(options.url, options.delai)
    if pret:
        print(f"Relais est prêt : {options.url}")
        return 0
    print(
        f"Relais n'est pas prêt après {options.delai:g} s : {options.url} ({derniere})",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
