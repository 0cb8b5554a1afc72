"""Le Markdown que tapent les gestionnaires (description d'un appel), rendu en HTML sûr."""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe

BALISES_AUTORISEES = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


# Sur les pages, la description est une section sous un titre de niveau 2 : ses propres
# titres commencent au niveau 3.
NIVEAUX_DE_TITRE = {"h1": "h3", "h2": "h3", "h3": "h4", "h4": "h5", "h5": "h6"}


def markdown_en_html(texte):
    """Rend le Markdown puis ne garde que des balises de mise en forme : ni script, ni style,
    ni attribut d'événement, ni lien « javascript: »."""
    html = markdown.markdown(texte or "", extensions=["tables", "sane_lists"])
    html = re.sub(
        r"<(/?)(h[1-5])>", lambda m: f"<{m.group(1)}{NIVEAUX_DE_TITRE[m.group(2)]}>", html
    )
    propre = nh3.clean(
        html,
        tags=BALISES_AUTORISEES,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(propre)  # noqa: S308 - nettoyé par nh3 juste au-dessus
