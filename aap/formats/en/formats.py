# See aap/formats/fr/formats.py: the first input format is the one a browser date, time or
# datetime-local input reads; the usual English formats follow.
from django.conf.locale.en import formats as _django

DATE_INPUT_FORMATS = ["%Y-%m-%d", *[f for f in _django.DATE_INPUT_FORMATS if f != "%Y-%m-%d"]]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", *_django.DATETIME_INPUT_FORMATS]
