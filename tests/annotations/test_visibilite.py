"""Les notes privées et les étiquettes ne se lisent que par l'équipe qui suit le dossier :
jamais par la structure (même sur la page du plan qu'elle partage), ni par le jury, un
observateur, le coach d'un autre plan ou le gestionnaire d'un autre programme.

Chaque rôle du monde de la matrice des permissions visite les pages où ces textes pourraient
paraître ; la liste exacte des (rôle, page) où chacun paraît est déclarée ici."""

import pytest
from django.urls import reverse

from annotations import services
from tests.fiabilite.monde import ROLES, construire_monde

pytestmark = pytest.mark.django_db

NOTE_PLAN = "Appeler la directrice avant le comité."  # la note du coach, dans le monde
NOTE_CANDIDATURE = "Budget à vérifier avec la trésorière."
ETIQUETTE_PLAN = "À rappeler"  # l'étiquette du monde
ETIQUETTE_CANDIDATURE = "Dossier solide"


def _pages(monde):
    plan, candidature = monde.plan, monde.candidature_jury
    return {
        "plan": reverse("accompagnement:plan", args=[plan.pk]),
        "jalon": reverse("accompagnement:jalon", args=[monde.jalon.pk]),
        "cadrage": reverse("accompagnement:cadrage", args=[plan.pk]),
        "referents": reverse("accompagnement:referents", args=[plan.pk]),
        "mes_plans": reverse("accompagnement:mes_plans"),
        "frise": reverse("accompagnement:frise"),
        "cohorte": reverse("accompagnement:gestion_cohorte", args=[plan.candidature.appel_id]),
        "candidature_structure": reverse("candidatures:candidature", args=[candidature.pk]),
        "gestion_candidature": reverse("candidatures:gestion_candidature", args=[candidature.pk]),
        "gestion_candidatures": reverse(
            "candidatures:gestion_candidatures", args=[candidature.appel_id]
        ),
        "jury_candidature": reverse("evaluation:jury_candidature", args=[candidature.pk]),
        "tableau_de_bord": reverse("tableau_de_bord"),
        "bilans": reverse("activite:bilans"),
    }


def test_notes_et_etiquettes_ne_paraissent_que_pour_l_equipe_du_dossier(client):
    monde = construire_monde()
    gestionnaire = monde.comptes["gestionnaire"]
    services.ajouter_etiquette(monde.etiquette, [monde.plan], par=gestionnaire)
    services.ecrire_note(monde.candidature_jury, par=gestionnaire, texte=NOTE_CANDIDATURE)
    etiquette = services.creer_etiquette(
        monde.programme, par=gestionnaire, nom=ETIQUETTE_CANDIDATURE
    )
    services.ajouter_etiquette(etiquette, [monde.candidature_jury], par=gestionnaire)
    textes = (NOTE_PLAN, NOTE_CANDIDATURE, ETIQUETTE_PLAN, ETIQUETTE_CANDIDATURE)

    vus = {texte: set() for texte in textes}
    pages_lues = set()
    for role in ROLES:
        compte = monde.comptes[role]
        client.logout()
        if compte is not None:
            client.force_login(compte)
        for nom, adresse in _pages(monde).items():
            reponse = client.get(adresse)
            if reponse.status_code != 200:
                continue
            pages_lues.add((role, nom))
            contenu = reponse.content.decode()
            for texte in textes:
                if texte in contenu:
                    vus[texte].add((role, nom))

    assert vus == {
        NOTE_PLAN: {("coach", "plan"), ("gestionnaire", "plan")},
        NOTE_CANDIDATURE: {("gestionnaire", "gestion_candidature")},
        # Les étiquettes du programme se choisissent aussi dans les listes du gestionnaire.
        ETIQUETTE_PLAN: {
            ("coach", "plan"),
            ("gestionnaire", "plan"),
            ("gestionnaire", "cohorte"),
            ("gestionnaire", "gestion_candidatures"),
        },
        ETIQUETTE_CANDIDATURE: {
            ("gestionnaire", "gestion_candidature"),
            ("gestionnaire", "gestion_candidatures"),
            ("gestionnaire", "cohorte"),
        },
    }
    # Les pages ont bien été lues par ceux qui auraient pu y voir un texte : la structure son
    # plan et sa candidature, le jury sa page de notation, l'observateur les bilans.
    assert {
        ("candidat_a", "plan"),
        ("candidat_a", "jalon"),
        ("candidat_a", "candidature_structure"),
        ("jury", "jury_candidature"),
        ("observateur", "bilans"),
        ("coach", "plan"),
        ("gestionnaire", "plan"),
    } <= pages_lues
    assert ("autre_coach", "plan") not in pages_lues
    assert ("autre_gestionnaire", "gestion_candidature") not in pages_lues


def test_la_page_du_plan_de_la_structure_n_a_aucune_section_de_notes(client):
    monde = construire_monde()
    client.force_login(monde.comptes["candidat_a"])

    contenu = client.get(reverse("accompagnement:plan", args=[monde.plan.pk])).content.decode()

    assert "notes-privees" not in contenu
    assert "Notes privées" not in contenu
    assert reverse("annotations:note_ajouter", args=["plan", monde.plan.pk]) not in contenu
