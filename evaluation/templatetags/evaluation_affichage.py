from django import template

register = template.Library()


@register.filter
def get_item(dictionnaire, cle):
    """`{{ decisions|get_item:candidature.pk }}` : la valeur d'un dictionnaire par clé."""
    if dictionnaire is None:
        return None
    return dictionnaire.get(cle)
