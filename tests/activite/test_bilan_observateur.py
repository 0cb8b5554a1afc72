"""Ce qu'un observateur lit du bilan d'une petite cohorte, cellule par cellule (page, PDF,
tableur), et ce que le gestionnaire du programme en lit : les chiffres exacts.

La cohorte : Armentières, 136 personnes en parcours (100 parcours complets, 34 abandons, 2 en
cours), 6 référents formés, 80 personnes en liste d'attente ; Houplines, 6 personnes en
ateliers (3 femmes, 3 hommes), aucune en parcours, 2 référents formés. Avant le secret
statistique secondaire, la page laissait retrouver par soustraction les 2 personnes « en cours »
(136 - 100 - 34), les 3 femmes et 3 hommes de Houplines (50 % de 6) et ses 2 référents
(8 - 6)."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from activite.bilan import bilan_a_jour
from activite.enums import Genre, StatutParticipation, TypeAction
from activite.presentation import presenter
from tests.activite.factories import (
    ActionFactory,
    BeneficiaireFactory,
    ListeAttenteFactory,
    ParticipationFactory,
)
from tests.candidatures.factories import AppelFactory, CandidatureFactory, StructureFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

F, H = Genre.FEMME, Genre.HOMME
COMPLET, ABANDON, EN_COURS, PRESENT = (
    StatutParticipation.COMPLET,
    StatutParticipation.ABANDON,
    StatutParticipation.EN_COURS,
    StatutParticipation.PRESENT,
)


def _referents_formes(structure, session, nombre):
    from accompagnement.models import Emargement, Referent

    for rang in range(nombre):
        referent = Referent.objects.create(
            structure=structure, prenom="Réf", nom=f"{structure.pk}-{rang}", email=f"r{rang}@s.test"
        )
        Emargement.objects.create(session=session, referent=referent, present=True)


def _action(structure, type_action, groupes, **champs):
    """Une action et ses participants : groupes = [(nombre, genre, statut)]."""
    action = ActionFactory(structure=structure, type=type_action, theme=None, **champs)
    for nombre, genre, statut in groupes:
        for _ in range(nombre):
            ParticipationFactory(
                action=action,
                beneficiaire=BeneficiaireFactory(
                    structure=structure, genre=genre, annee_naissance=1960
                ),
                statut=statut,
            )


def construire_cohorte():
    from accompagnement.models import Formation, SessionFormation

    appel = AppelFactory(clos=True, slug="appel-masque", titre="Appel 2022")
    armentieres = StructureFactory(nom="CCAS d'Armentières")
    houplines = StructureFactory(nom="CCAS de Houplines")
    for structure in (armentieres, houplines):
        CandidatureFactory(appel=appel, structure=structure, retenue=True)
    formation = Formation.objects.create(programme=appel.programme, titre="Découvrir")
    session = SessionFormation.objects.create(
        formation=formation,
        date=datetime.date(2022, 12, 1),
        lieu="Lille",
        formateur=UtilisateurFactory(coach=True),
    )
    _referents_formes(armentieres, session, 6)
    _referents_formes(houplines, session, 2)
    parcours = {"date_debut": datetime.date(2023, 3, 1), "date_fin": datetime.date(2023, 5, 1)}
    _action(
        armentieres,
        TypeAction.PARCOURS_ORDINATEUR,
        [(60, F, COMPLET), (2, F, EN_COURS)],
        duree_heures=Decimal("12"),
        **parcours,
    )
    _action(
        armentieres,
        TypeAction.PARCOURS_TABLETTE,
        [(40, H, COMPLET)],
        duree_heures=Decimal("14.5"),
        **parcours,
    )
    _action(
        armentieres,
        TypeAction.PARCOURS_ORDINATEUR,
        [(20, F, ABANDON), (14, H, ABANDON)],
        duree_heures=Decimal("12"),
        **parcours,
    )
    ListeAttenteFactory(structure=armentieres, nombre=80)
    _action(houplines, TypeAction.ATELIER, [(3, F, PRESENT)], date_debut=datetime.date(2023, 3, 7))
    _action(houplines, TypeAction.ATELIER, [(3, H, PRESENT)], date_debut=datetime.date(2023, 3, 9))
    return appel


@pytest.fixture
def cohorte():
    return construire_cohorte()


def _page(client, appel, **role):
    personne = UtilisateurFactory(**role)
    if role.get("gestionnaire"):
        appel.programme.gestionnaires.add(personne)
    client.force_login(personne)
    reponse = client.get(reverse("activite:bilan", args=[appel.slug]))
    assert reponse.status_code == 200
    return reponse.content.decode(), client


def _chiffres(contenu):
    """{libellé: valeur} des chiffres de la cohorte."""
    return {
        html.unescape(libelle): html.unescape(valeur)
        for libelle, valeur in re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", contenu)
    }


def _graphique(contenu, identifiant):
    """[(libellé, valeur affichée, longueur de la barre)] d'un graphique en barres."""
    svg = contenu.split(f'id="{identifiant}-desc"')[1].split("</svg>")[0]
    description = html.unescape(svg.split("</desc>")[0].lstrip(">"))
    largeurs = [float(n) for n in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    lues = [element.split(" : ") for element in description.split(" ; ")]
    return [
        (libelle, valeur, largeur)
        for (libelle, valeur), largeur in zip(lues, largeurs, strict=True)
    ]


def _tableau(contenu):
    """Les lignes du tableau par structure : [structure, cellules…]."""
    tableau = contenu.split('class="table table-sm table-striped align-middle tableau-bilan"')[1]
    lignes = re.findall(r'<tr><th scope="row">(.*?)</tr>', tableau.split("</table>")[0])
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", ligne.split("</th>")[0]))]
        + [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", ligne)]
        for ligne in lignes
    ]


ENTETES = [
    "Référents formés",
    "Actions menées",
    "Ateliers et permanences",
    "Parcours d'initiation",
    "Durée moyenne d'un parcours ordinateur (h)",
    "Durée moyenne d'un parcours tablette (h)",
    "Personnes accompagnées",
    "dont en parcours",
    "Femmes (%)",
    "Hommes (%)",
    "Âge moyen",
    "Parcours suivis jusqu'au bout (%)",
    "Liste d'attente",
]

# Ce que l'observateur lit. Pourquoi chaque masque :
# - en cours 2 (« < 5 ») : 136 en parcours - 100 complets - 34 abandons le redonnait ; la plus
#   petite partie affichée, les abandons (34), est masquée, puis ce qui la redonnerait : les
#   parcours terminés de la cohorte (100 + 34 : le pourcentage de parcours suivis jusqu'au
#   bout) et d'Armentières, seule structure à en avoir ; 136 et 100 restent affichés ;
# - Houplines, 3 femmes et 3 hommes : 50 % de 6 les redonnait ; masqués, ils se retrouvaient
#   encore par la cohorte (85 femmes - 82 à Armentières) : les pourcentages de femmes et
#   d'hommes d'Armentières sont masqués aussi (en rectangle : structures × genres) ;
# - 2 référents à Houplines : 8 - 6 ; les 6 d'Armentières sont masqués ;
# - les zéros (aucune personne en parcours à Houplines, aucun genre « autre »…) s'affichent 0.
CHIFFRES_OBSERVATEUR = {
    "Structures accompagnées": "2",
    "Référents formés": "8",
    "Actions menées": "5",
    "Ateliers et permanences": "2",
    "Parcours d'initiation": "3",
    "Durée moyenne d'un parcours ordinateur (h)": "12",
    "Durée moyenne d'un parcours tablette (h)": "14,5",
    "Personnes accompagnées": "142",
    "dont en parcours": "136",
    "Femmes (%)": "59,9",
    "Hommes (%)": "40,1",
    "Âge moyen": "63",
    "Parcours suivis jusqu'au bout (%)": "masqué",
    "Liste d'attente": "80",
}
GENRES_OBSERVATEUR = [
    ("Femme", "85", 260.0),
    ("Homme", "57", 174.4),
    ("Autre", "0", 0.0),
    ("Non renseigné", "0", 0.0),
]
PARCOURS_OBSERVATEUR = [
    ("En cours", "< 5", 0.0),
    ("Parcours complet", "100", 260.0),
    ("Abandon", "masqué", 0.0),
]
TABLEAU_OBSERVATEUR = [
    [
        "CCAS d'Armentières",
        *("masqué", "3", "0", "3", "12", "14,5", "136", "136"),
        *("masqué", "masqué", "63", "masqué", "80"),
    ],
    [
        "CCAS de Houplines",
        *("< 5", "2", "2", "0", "—", "—", "6", "0"),
        *("masqué", "masqué", "63", "—", "0"),
    ],
]


def test_l_observateur_ne_retrouve_aucun_petit_nombre_par_soustraction(client, cohorte):
    contenu, _client = _page(client, cohorte, observateur=True)

    assert _graphique(contenu, "g-parcours") == PARCOURS_OBSERVATEUR
    assert _tableau(contenu) == TABLEAU_OBSERVATEUR
    assert _chiffres(contenu) == CHIFFRES_OBSERVATEUR
    assert _graphique(contenu, "g-genres") == GENRES_OBSERVATEUR
    assert _graphique(contenu, "g-ages") == [
        ("Moins de 30 ans", "0", 0.0),
        ("30 à 44 ans", "0", 0.0),
        ("45 à 59 ans", "0", 0.0),
        ("60 à 74 ans", "142", 260.0),
        ("75 ans et plus", "0", 0.0),
        ("Âge non renseigné", "0", 0.0),
    ]
    assert "« masqué » : caché pour qu'on ne retrouve pas un « &lt; 5 » par soustraction" in (
        contenu
    )


def test_le_pdf_de_l_observateur_montre_les_memes_cellules(cohorte):
    """Le PDF est ce gabarit passé à WeasyPrint, avec la vue de l'observateur."""
    vue = presenter(bilan_a_jour(cohorte), masquer=True)

    contenu = render_to_string(
        "activite/bilan_pdf.html",
        {"appel": cohorte, "vue": vue, "edite_le": datetime.datetime(2023, 12, 14)},
    )

    assert _chiffres(contenu) == CHIFFRES_OBSERVATEUR
    assert _graphique(contenu, "g-genres") == GENRES_OBSERVATEUR
    assert _graphique(contenu, "g-parcours") == PARCOURS_OBSERVATEUR
    assert _tableau(contenu) == TABLEAU_OBSERVATEUR


def test_le_tableur_de_l_observateur_montre_les_memes_cellules(client, cohorte):
    _contenu, client = _page(client, cohorte, observateur=True)

    reponse = client.get(reverse("activite:bilan_xlsx", args=[cohorte.slug]))

    classeur = load_workbook(io.BytesIO(reponse.content))
    assert list(classeur["Cohorte"].iter_rows(min_row=3, values_only=True)) == [
        ("Indicateur", "Valeur"),
        ("Structures accompagnées", 2),
        ("Référents formés", 8),
        ("Actions menées", 5),
        ("Ateliers et permanences", 2),
        ("Parcours d'initiation", 3),
        ("Durée moyenne d'un parcours ordinateur (h)", 12),
        ("Durée moyenne d'un parcours tablette (h)", 14.5),
        ("Personnes accompagnées", 142),
        ("dont en parcours", 136),
        ("Femmes (%)", 59.9),
        ("Hommes (%)", 40.1),
        ("Âge moyen", 63),
        ("Parcours suivis jusqu'au bout (%)", "masqué"),
        ("Liste d'attente", 80),
    ]
    lignes = list(classeur["Par structure"].iter_rows(values_only=True))
    assert [(ligne[0], *ligne[2:]) for ligne in lignes] == [
        ("Structure", *ENTETES),
        (
            "CCAS d'Armentières",
            *("masqué", 3, 0, 3, 12, 14.5, 136, 136, "masqué", "masqué", 63, "masqué", 80),
        ),
        ("CCAS de Houplines", *("< 5", 2, 2, 0, None, None, 6, 0, "masqué", "masqué", 63, None, 0)),
    ]


def test_le_gestionnaire_lit_les_chiffres_exacts(client, cohorte):
    contenu, client = _page(client, cohorte, gestionnaire=True)

    assert _chiffres(contenu) == {
        **CHIFFRES_OBSERVATEUR,
        "Parcours suivis jusqu'au bout (%)": "74,6",
    }
    assert _graphique(contenu, "g-parcours") == [
        ("En cours", "2", 5.2),
        ("Parcours complet", "100", 260.0),
        ("Abandon", "34", 88.4),
    ]
    assert _tableau(contenu) == [
        [
            "CCAS d'Armentières",
            *("6", "3", "0", "3", "12", "14,5", "136", "136", "60,3", "39,7", "63", "74,6", "80"),
        ],
        [
            "CCAS de Houplines",
            *("2", "2", "2", "0", "—", "—", "6", "0", "50", "50", "63", "—", "0"),
        ],
    ]
    assert "masqué" not in contenu and "&lt; 5" not in contenu
