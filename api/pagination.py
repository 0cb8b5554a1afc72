"""Une pagination par curseur : une page suivante reste juste quand des lignes s'ajoutent
pendant la lecture (pas de ligne lue deux fois ni sautée), et son coût ne croît pas avec le
rang de la page."""

import binascii
from base64 import b64decode, b64encode
from urllib.parse import parse_qs, urlencode

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import replace_query_param


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


class CurseurDeRang:
    """Le curseur d'une liste déjà rangée et figée, lue par tranches : les structures d'un
    bilan (calculé une fois, puis gardé en cache sous une clé qui change avec les données).
    Mêmes paramètres que `Curseur` (« curseur », « taille », 50 par défaut, 200 au plus) ; le
    curseur porte le rang de la première ligne de la page. Un bilan recalculé entre deux pages
    peut décaler ses lignes : `calcule_le` dit de quel calcul vient chaque page."""

    page_size = Curseur.page_size
    max_page_size = Curseur.max_page_size
    page_size_query_param = Curseur.page_size_query_param
    page_size_query_description = Curseur.page_size_query_description
    cursor_query_param = Curseur.cursor_query_param
    cursor_query_description = Curseur.cursor_query_description
    invalid_cursor_message = Curseur.invalid_cursor_message

    def __init__(self, request):
        self.request = request
        self.taille = self._taille()
        self.debut = self._rang()
        self.fin = self.debut + self.taille

    def _taille(self):
        try:
            taille = int(self.request.query_params[self.page_size_query_param])
        except (KeyError, ValueError):
            return self.page_size
        return min(taille, self.max_page_size) if taille > 0 else self.page_size

    def _rang(self):
        encode = self.request.query_params.get(self.cursor_query_param)
        if encode is None:
            return 0
        try:
            texte = b64decode(encode.encode("ascii"), validate=True).decode("ascii")
            rang = int(parse_qs(texte, strict_parsing=True)["r"][0])
        except (ValueError, KeyError, UnicodeError, binascii.Error):
            raise NotFound(self.invalid_cursor_message) from None
        if rang < 0:
            raise NotFound(self.invalid_cursor_message)
        return rang

    def _lien(self, rang):
        curseur = b64encode(urlencode({"r": rang}).encode("ascii")).decode("ascii")
        return replace_query_param(
            self.request.build_absolute_uri(), self.cursor_query_param, curseur
        )

    def liens(self, nombre_de_lignes):
        """(suivante, précédente) : les adresses des pages voisines, ou None."""
        suivante = self._lien(self.fin) if self.fin < nombre_de_lignes else None
        precedente = None
        if self.debut > 0:
            precedente = self._lien(max(min(self.debut, nombre_de_lignes) - self.taille, 0))
        return suivante, precedente

    @staticmethod
    def parametres_du_schema():
        return [
            OpenApiParameter(
                CurseurDeRang.cursor_query_param,
                str,
                OpenApiParameter.QUERY,
                description=CurseurDeRang.cursor_query_description,
            ),
            OpenApiParameter(
                CurseurDeRang.page_size_query_param,
                int,
                OpenApiParameter.QUERY,
                description=CurseurDeRang.page_size_query_description,
            ),
        ]
