"""Chargé par pytest avant Django (`-p tests.environnement`) : valeurs d'environnement des tests.

Les variables déjà posées (DATABASE_URL, REDIS_URL de la CI) sont gardées.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-uniquement-" + "k" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SITE_URL", "http://testserver")
# Playwright tourne dans une boucle asyncio ; le serveur de test Django vit dans un autre fil.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("STATIC_MANIFEST", "0")
# La double authentification imposée aux gestionnaires (vraie hors DEBUG) ne sert qu'à ses
# propres tests (tests/securite), qui la rallument.
os.environ.setdefault("MFA_OBLIGATOIRE_GESTIONNAIRES", "0")
# Les sessions lues dans le cache, comme en production avec Redis : un seul processus, le cache
# en mémoire suffit, et les nombres de requêtes des pages sont les mêmes avec ou sans Redis.
os.environ.setdefault("RELAIS_SESSIONS_EN_CACHE", "1")
