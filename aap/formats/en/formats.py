# See aap/formats/fr/formats.py: the first input format is the one a browser date, time or
# datetime-local input reads. Relais's English is British and its users are in France: dates
# read « 29 November 2026 », times « 14:30 », and a date typed by hand is day first
# (01/04/2027 is 1 April), as in French.
from django.conf.locale.en_GB import formats as _django

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%Y-%m-%d", *[f for f in _django.DATE_INPUT_FORMATS if f != "%Y-%m-%d"]]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", *_django.DATETIME_INPUT_FORMATS]
