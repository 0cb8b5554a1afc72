"""Le graphique empilé « Actions par mois et par type » du bilan : ses nombres écrits sur les
barres et le tableau qui le double, pour le gestionnaire et pour l'observateur.

La cohorte de test_bilan_observateur.py : en mars 2023, Armentières mène 2 parcours ordinateur
et 1 parcours tablette, Houplines 2 ateliers. Ce sont des comptes d'actions (le secret
statistique ne les touche pas) ; les comptes de personnes masqués pour l'observateur le
restent partout ailleurs sur la page."""

import html
import re

import pytest

from tests.activite.test_bilan_observateur import (
    PARCOURS_OBSERVATEUR,
    TABLEAU_OBSERVATEUR,
    _graphique,
    _page,
    _tableau,
    construire_cohorte,
)

pytestmark = pytest.mark.django_db

LIGNES_DU_TABLEAU = [
    ["Mois", "Atelier thématique", "Permanence individuelle"]
    + ["Parcours d'initiation à l'ordinateur", "Parcours d'initiation à la tablette", "Total"],
    ["Mars 2023", "2", "0", "2", "1", "5"],
    ["Total", "2", "0", "2", "1", "5"],
]


def _figure_seances(contenu):
    return contenu.split('class="graphique graphique-seances"')[1].split("</figure>")[0]


def _lignes(tableau):
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cellule))
            for cellule in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", ligne)
        ]
        for ligne in re.findall(r"<tr>(.*?)</tr>", tableau, re.S)
    ]


@pytest.mark.parametrize("role", ["observateur", "gestionnaire"])
def test_le_graphique_empile_ecrit_ses_nombres_et_les_donne_en_tableau(client, role):
    appel = construire_cohorte()
    contenu, _client = _page(client, appel, **{role: True})

    figure = _figure_seances(contenu)
    svg = figure.split("<svg")[1].split("</svg>")[0]
    assert 'aria-hidden="true"' in svg.split(">")[0]
    # Sur la barre de mars : 2 ateliers, 2 parcours ordinateur, 1 tablette, 5 en tout.
    assert re.findall(r"<text [^>]*>([^<]+)</text>", svg) == ["2", "2", "1", "5", "03/23"]
    tableau = figure.split("<table")[1].split("</table>")[0]
    assert "<caption>Actions par mois et par type, en nombres</caption>" in tableau
    assert _lignes(tableau) == LIGNES_DU_TABLEAU


def test_pour_l_observateur_les_comptes_masques_le_restent(client):
    appel = construire_cohorte()

    contenu, _client = _page(client, appel, observateur=True)

    # Rien de la figure empilée ne porte sur des personnes : ses seuls nombres sont ceux du
    # tableau des actions, et les masques des autres graphiques et du tableau tiennent.
    figure = _figure_seances(contenu)
    nombres = set(re.findall(r">(\d+)<", figure))
    assert nombres == {"0", "1", "2", "5"}
    assert _graphique(contenu, "g-parcours") == PARCOURS_OBSERVATEUR
    assert _tableau(contenu) == TABLEAU_OBSERVATEUR
