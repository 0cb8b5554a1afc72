# Le premier format de saisie est celui dans lequel Django rend la valeur d'un champ : il doit
# être celui qu'un <input type="date|time|datetime-local"> sait lire (voir noyau/widgets.py).
# Les formats français suivent : ce que l'on tape à la main reste compris.
#
# Formats d'affichage : ceux de Django, sauf la date et l'heure, qui se disent « 1 avril 2027
# à 12:00 » (« 1 April 2027, 12:00 » en anglais, voir aap/formats/en/formats.py) ; un gabarit
# écrit `|date:"DATETIME_FORMAT"` plutôt qu'un format où « à » resterait en français.
DATETIME_FORMAT = "j F Y à H:i"

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f", "%Hh%M", "%Hh"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
]
