"""Une pagination par curseur : une page suivante reste juste quand des lignes s'ajoutent
pendant la lecture (pas de ligne lue deux fois ni sautée), et son coût ne croît pas avec le
rang de la page."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import CursorPagination


class Curseur(CursorPagination):
    page_size = 50
    page_size_query_param = "taille"
    page_size_query_description = _("Nombre de lignes par page (200 au plus).")
    max_page_size = 200
    cursor_query_param = "curseur"
    cursor_query_description = _(
        "Le curseur de la page, tel que le donnent « next » et « previous »."
    )
    invalid_cursor_message = _("Curseur invalide.")
    ordering = "pk"
