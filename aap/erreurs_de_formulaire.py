"""Ce qu'une page dit quand un formulaire revient avec des erreurs (RGAA 11.10, 11.11) : son
titre commence par « Erreur : », un résumé en tête du formulaire liste chaque erreur avec un
lien vers son champ, et `static/js/resume_erreurs.js` y porte le focus.

Chargé sous le nom `erreurs_de_formulaire` (réglage TEMPLATES). Les formulaires rendus par
crispy-forms ont le résumé d'office (`templates/bootstrap5/errors.html`) ; un gabarit qui place
ses champs un à un l'appelle avec `{% resume_erreurs form %}`.
"""

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext

register = template.Library()


def _formulaire_en_erreur(valeur):
    # `_errors` n'est rempli qu'une fois le formulaire validé : le lire ne lance aucune
    # validation (ni requête) qu'une vue n'aurait pas demandée.
    if isinstance(valeur, BaseForm):
        return bool(getattr(valeur, "_errors", None))
    if isinstance(valeur, BaseFormSet):
        return getattr(valeur, "_errors", None) is not None and valeur.total_error_count() > 0
    return False


@register.simple_tag(takes_context=True)
def prefixe_erreur(context):
    """« Erreur : » si un formulaire de la page revient avec des erreurs."""
    for dictionnaire in context.dicts:
        if any(_formulaire_en_erreur(valeur) for valeur in dictionnaire.values()):
            return gettext("Erreur : ")
    return ""


def cible_du_champ(champ):
    """L'identifiant de l'élément qui reçoit le focus : le champ, ou la première case d'un
    groupe de boutons radio ou de cases à cocher (qui n'ont pas d'identifiant commun)."""
    return champ.id_for_label or (f"{champ.auto_id}_0" if champ.auto_id else "")


def _erreurs_d_un_formulaire(form, ligne=None):
    erreurs = []
    for message in form.non_field_errors():
        libelle = gettext("Ligne %(n)s") % {"n": ligne} if ligne else ""
        erreurs.append((libelle, message, ""))
    for champ in form:
        libelle = champ.label
        if ligne:
            libelle = gettext("Ligne %(n)s, %(champ)s") % {"n": ligne, "champ": champ.label}
        for message in champ.errors:
            erreurs.append((libelle, message, "" if champ.is_hidden else cible_du_champ(champ)))
    return erreurs


def _erreurs_d_un_jeu(jeu):
    """Les erreurs d'un jeu de formulaires : les siennes, puis celles de chaque ligne gardée
    (une ligne cochée « Supprimer » ne compte plus)."""
    erreurs = [("", message, "") for message in jeu.non_form_errors()]
    for numero, form in enumerate(jeu.forms, start=1):
        if jeu.can_delete and jeu._should_delete_form(form):
            continue
        erreurs += _erreurs_d_un_formulaire(form, ligne=numero)
    return erreurs


@register.inclusion_tag("formulaires/resume_erreurs.html")
def resume_erreurs(*formulaires):
    """[(libellé, message, identifiant du champ ou "")] pour chaque erreur des formulaires ou
    jeux de formulaires donnés (une page peut en envoyer plusieurs d'un seul bouton)."""
    erreurs = []
    for form in formulaires:
        if not _formulaire_en_erreur(form):
            continue
        if isinstance(form, BaseFormSet):
            erreurs += _erreurs_d_un_jeu(form)
        else:
            erreurs += _erreurs_d_un_formulaire(form)
    prefixe = next((f.prefix for f in formulaires if getattr(f, "prefix", "")), "")
    return {"erreurs": erreurs, "prefixe": prefixe or ""}
