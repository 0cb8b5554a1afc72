"""Réglages du banc d'essai : ceux du projet, plus le compteur de requêtes SQL et un cookie de
session lisible en http simple sur la boucle locale."""

from aap.settings import *  # noqa: F403
from aap.settings import MIDDLEWARE

MIDDLEWARE = ["bench.middleware.CompteurRequetesMiddleware", *MIDDLEWARE]

# Le serveur du banc écoute en http sur 127.0.0.1 : un cookie « Secure » n'y serait pas renvoyé.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
