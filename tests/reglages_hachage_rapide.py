"""Les réglages du projet, mots de passe vite hachés : un test qui lance le site dans un autre
processus y mesure ce qu'il vise, pas PBKDF2 (une seconde par connexion sur une machine
chargée). Tout le reste, Redis compris, vient de aap/settings.py et de l'environnement."""

from aap.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
