"""Le moteur sqlite3 de Django, avec l'horloge des tables (noyau.horloge)."""

from django.db.backends.sqlite3 import base

from noyau.horloge import MelangeHorloge


class DatabaseWrapper(MelangeHorloge, base.DatabaseWrapper):
    pass
