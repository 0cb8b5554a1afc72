"""Les champs de saisie de date, d'heure et de nombre, rendus dans le seul format que le
navigateur sait lire, quelle que soit la langue active.

Un `<input type="date">` n'accepte que « 2027-04-01 » : rendu « 01/04/2027 » (le format
français de Django), il s'affiche vide, et l'enregistrement suivant efface la réponse. De même
`type="time"` attend « 09:30 », `type="datetime-local"` « 2027-04-01T09:30 » et
`type="number"` « 1250.5 » (point décimal, sans séparateur de milliers). Tous les formulaires
du projet prennent leurs champs ici ; `aap/formats/` met en plus ces formats en tête des
formats de saisie de chaque langue, pour qu'un champ de Django laissé par défaut les suive.
"""

from django import forms

from noyau.fichiers import ACCEPT_HTML

FORMAT_DATE = "%Y-%m-%d"
FORMAT_HEURE = "%H:%M"
FORMAT_DATE_HEURE = "%Y-%m-%dT%H:%M"


class EntreeDate(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=FORMAT_DATE)


class EntreeHeure(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=FORMAT_HEURE)


class EntreeDateHeure(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=FORMAT_DATE_HEURE)


class EntreeNombre(forms.NumberInput):
    """Jamais localisé : « 1250.5 », même si le champ a `localize=True` et la page est en
    français (« 1 250,5 » laisserait le champ vide)."""

    def format_value(self, valeur):
        if valeur == "" or valeur is None:
            return None
        return str(valeur)


class FichiersMultiples(forms.ClearableFileInput):
    """Un `<input type="file" multiple>`."""

    allow_multiple_selected = True


class ChampFichiers(forms.FileField):
    """Plusieurs fichiers en un champ : `cleaned_data` est la liste des fichiers envoyés
    (vide si le champ est facultatif et laissé vide). Par défaut, le sélecteur propose les
    formats acceptés pour les pièces (`noyau.fichiers.ACCEPT_HTML`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FichiersMultiples(attrs={"accept": ACCEPT_HTML}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        un_fichier = super().clean
        if isinstance(data, list | tuple) and data:
            return [un_fichier(fichier, initial) for fichier in data]
        fichier = un_fichier(data, initial)
        return [fichier] if fichier else []
