"""Le Markdown que tapent les gestionnaires (description d'un appel), rendu en HTML sûr."""

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
    "h2",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def markdown_en_html(texte):
    """Rend le Markdown puis ne garde que des balises de mise en forme : ni script, ni style,
    ni attribut d'événement, ni lien « javascript: ». Les titres commencent au niveau 2, le
    niveau 1 étant celui de la page."""
    html = markdown.markdown(texte or "", extensions=["tables", "sane_lists"])
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    propre = nh3.clean(
        html,
        tags=BALISES_AUTORISEES,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(propre)  # noqa: S308 - nettoyé par nh3 juste au-dessus
