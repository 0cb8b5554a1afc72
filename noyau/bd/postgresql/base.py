"""Le moteur postgresql de Django, avec l'horloge des tables (noyau.horloge)."""

from django.db.backends.postgresql import base

from noyau.horloge import MelangeHorloge


class DatabaseWrapper(MelangeHorloge, base.DatabaseWrapper):
    pass
