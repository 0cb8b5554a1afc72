"""La clé du rendu d'un formulaire vide (`{{ form|crispy }}`) gardé en cache : dessiner un
formulaire avec crispy parcourt une dizaine de gabarits par champ, pour un HTML qui ne dépend
que du formulaire, de la langue et du code qui le dessine.

La clé couvre tout ce qu'il montre : chaque champ (nom, libellé, aide, obligatoire, type et
attributs de son widget, valeur initiale), ses identifiants, la langue, et la version du code
(le module du formulaire, nos widgets, les gabarits de crispy et les nôtres, les versions de
crispy et de Django). Un formulaire rempli (renvoyé avec ses erreurs) n'a pas de clé : il est
dessiné à chaque fois. Les choix écrits dans le code (une liste) entrent dans la clé, valeurs
et libellés ; des choix venus de la base ou d'une fonction ne sont pas lus (ce serait une
requête) : un formulaire qui en a ne passe pas par ici."""

import hashlib
import inspect
from pathlib import Path

import crispy_forms
import django
from django import forms
from django.conf import settings
from django.utils.translation import get_language


def _version(*fichiers):
    return hashlib.sha256(
        b"".join(
            [
                Path(__file__).read_bytes(),
                (settings.BASE_DIR / "noyau" / "widgets.py").read_bytes(),
                crispy_forms.__version__.encode(),
                django.get_version().encode(),
                *(Path(fichier).read_bytes() for fichier in fichiers),
                *(
                    chemin.read_bytes()
                    for chemin in sorted(
                        (settings.BASE_DIR / "templates" / "bootstrap5").rglob("*")
                    )
                    if chemin.is_file()
                ),
            ]
        )
    ).hexdigest()[:16]


_VERSIONS = {}


def _choix_fixes(champ):
    """Les choix d'un champ écrits dans le code, en texte (libellés traduits), ou None s'ils
    viennent de la base (`ModelChoiceField`) ou d'une fonction : ceux-là ne sont pas lus."""
    if isinstance(champ, forms.ModelChoiceField) or not isinstance(champ.choices, list | tuple):
        return None
    return _en_texte(champ.choices)


def _en_texte(choix):
    if isinstance(choix, list | tuple):
        return tuple(_en_texte(element) for element in choix)
    return str(choix)


def cle_du_formulaire_vide(form):
    """L'empreinte d'un formulaire vide, ou None s'il est rempli, absent ou à choix."""
    if form is None or form.is_bound:
        return None
    if any(
        isinstance(champ, forms.ChoiceField) and _choix_fixes(champ) is None
        for champ in form.fields.values()
    ):
        return None
    module = type(form).__module__
    if module not in _VERSIONS:
        _VERSIONS[module] = _version(inspect.getfile(type(form)))
    champs = [
        (
            nom,
            str(champ.label),
            str(champ.help_text),
            champ.required,
            type(champ.widget).__module__,
            type(champ.widget).__qualname__,
            sorted((cle, str(valeur)) for cle, valeur in champ.widget.attrs.items()),
            repr(form[nom].value()),
            _choix_fixes(champ) if isinstance(champ, forms.ChoiceField) else None,
        )
        for nom, champ in form.fields.items()
    ]
    contenu = (_VERSIONS[module], get_language(), module, type(form).__qualname__)
    return hashlib.sha256(
        repr((*contenu, form.auto_id, form.prefix, form.label_suffix, champs)).encode()
    ).hexdigest()
