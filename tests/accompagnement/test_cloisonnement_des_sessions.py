"""Deux structures lauréates dans une même session de formation : chacune ne voit que ses
propres référents (noms, adresses, présences, attestations), sur chaque page qu'elle peut
ouvrir au sujet des formations, de son plan et de son calendrier. Le formateur et le
gestionnaire voient toute la feuille."""

import datetime

import pytest
from django.urls import reverse

from accompagnement import calendrier, services
from accompagnement.enums import TypeJalon
from accompagnement.models import Inscription
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de, plan_pour
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

# Ce qui, de la structure B, ne doit jamais paraître chez A (les prénoms seuls pourraient être
# ceux, tirés au hasard, d'un compte de la page).
TRACES_DE_LEERS = [
    "Claire Vandamme",
    "Vandamme",
    "claire.vandamme@leers.test",
    "David Wattrelot",
    "Wattrelot",
    "david.wattrelot@leers.test",
]


@pytest.fixture
def formatrice():
    return UtilisateurFactory(coach=True, email="formatrice@programme.test", first_name="Fanny")


@pytest.fixture
def membre_leers():
    return UtilisateurFactory(candidat=True, email="ccas@leers.test")


@pytest.fixture
def cohorte(plan, programme, coach, membre_leers, formatrice):
    """Houplines (A) et Leers (B) dans une session passée, émargée, et une session à venir."""
    leers = plan_pour(
        coach=coach,
        appel=plan.candidature.appel,
        structure__nom="CCAS de Leers",
        structure__membres=[membre_leers],
    )
    referents = {
        nom: ReferentFactory(structure=structure, prenom=prenom, nom=nom, email=email)
        for structure, prenom, nom, email in [
            (plan.structure, "Amina", "Diallo", "amina.diallo@houplines.test"),
            (plan.structure, "Bruno", "Martin", "bruno.martin@houplines.test"),
            (leers.structure, "Claire", "Vandamme", "claire.vandamme@leers.test"),
            (leers.structure, "David", "Wattrelot", "david.wattrelot@leers.test"),
        ]
    }
    passee = SessionFactory(
        plans=[plan, leers],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=formatrice,
        date=datetime.date(2022, 12, 6),
    )
    a_venir = SessionFactory(
        plans=[plan, leers],
        formation=formation_de(plan, TypeJalon.FORMATION_2),
        formateur=formatrice,
        date=datetime.date(2030, 1, 15),
    )
    for referent in referents.values():
        Inscription.objects.create(session=passee, referent=referent)
    for nom in ("Diallo", "Vandamme"):
        Inscription.objects.create(session=a_venir, referent=referents[nom])
    services.enregistrer_emargement(
        passee,
        par=formatrice,
        presents=[referents["Diallo"].pk, referents["Vandamme"].pk],
    )
    return {"houplines": plan, "leers": leers, "passee": passee, "a_venir": a_venir, **referents}


def _pages_de_la_structure(cohorte, membre):
    plan, passee, a_venir = cohorte["houplines"], cohorte["passee"], cohorte["a_venir"]
    pages = [
        reverse("tableau_de_bord"),
        reverse("accompagnement:mes_plans"),
        reverse("accompagnement:plan", args=[plan.pk]),
        reverse("accompagnement:referents", args=[plan.pk]),
        reverse("accompagnement:cadrage", args=[plan.pk]),
        reverse("accompagnement:sessions"),
        reverse("accompagnement:emargement", args=[passee.pk]),
        reverse("accompagnement:emargement", args=[a_venir.pk]),
        reverse("accompagnement:attestation", args=[passee.pk, cohorte["Diallo"].pk]),
        reverse("accompagnement:calendrier"),
        calendrier.adresse_du_flux(membre, absolue=False),
        reverse("candidatures:candidature", args=[plan.candidature.pk]),
        reverse("candidatures:structure", args=[plan.structure.pk]),
        reverse("activite:structures"),
        reverse("activite:activite", args=[plan.structure.pk]),
    ]
    pages += [reverse("accompagnement:jalon", args=[jalon.pk]) for jalon in plan.jalons.all()]
    return pages


def test_aucune_page_de_la_structure_ne_montre_les_referents_de_l_autre(client, cohorte, membre):
    client.force_login(membre)

    fuites = {}
    for page in _pages_de_la_structure(cohorte, membre):
        reponse = client.get(page, follow=True)
        assert reponse.status_code == 200, page
        # L'attestation PDF est celle d'Amina Diallo ; son texte est comprimé, seule sa
        # délivrance est vérifiée ici (celle d'un référent de Leers : test plus bas).
        contenu = reponse.content.decode("utf-8", errors="replace")
        traces = [trace for trace in TRACES_DE_LEERS if trace in contenu]
        if traces:
            fuites[page] = traces

    assert fuites == {}


def test_la_feuille_d_emargement_ne_montre_a_la_structure_que_ses_referents(
    client, cohorte, membre
):
    client.force_login(membre)

    reponse = client.get(reverse("accompagnement:emargement", args=[cohorte["passee"].pk]))

    assert reponse.status_code == 200
    assert [
        (i.referent.nom_complet, i.referent.structure.nom, i.emargement.present)
        for i in reponse.context["inscriptions"]
    ] == [
        ("Amina Diallo", "CCAS de Houplines", True),
        ("Bruno Martin", "CCAS de Houplines", False),
    ]
    assert reponse.text.count('name="presents"') == 2
    assert 'Attestation PDF<span class="visually-hidden"> de Amina Diallo</span>' in reponse.text


def test_la_structure_ne_telecharge_pas_l_attestation_d_un_referent_de_l_autre(
    client, cohorte, membre
):
    client.force_login(membre)

    reponse = client.get(
        reverse("accompagnement:attestation", args=[cohorte["passee"].pk, cohorte["Vandamme"].pk])
    )

    assert reponse.status_code == 404
    assert b"Vandamme" not in reponse.content


def test_chaque_structure_voit_les_siens_et_la_formatrice_voit_toute_la_feuille(
    client, cohorte, membre_leers, formatrice, gestionnaire
):
    def noms_vus(utilisateur):
        client.force_login(utilisateur)
        reponse = client.get(reverse("accompagnement:emargement", args=[cohorte["passee"].pk]))
        return [i.referent.nom_complet for i in reponse.context["inscriptions"]]

    tous = ["Amina Diallo", "Bruno Martin", "Claire Vandamme", "David Wattrelot"]
    assert noms_vus(membre_leers) == ["Claire Vandamme", "David Wattrelot"]
    assert noms_vus(formatrice) == tous
    assert noms_vus(gestionnaire) == tous


def test_le_coach_des_deux_plans_voit_les_deux_equipes_sans_emarger(client, cohorte, coach):
    client.force_login(coach)

    reponse = client.get(reverse("accompagnement:emargement", args=[cohorte["passee"].pk]))

    assert [i.referent.nom_complet for i in reponse.context["inscriptions"]] == [
        "Amina Diallo",
        "Bruno Martin",
        "Claire Vandamme",
        "David Wattrelot",
    ]
    assert reponse.context["peut_emarger"] is False


def test_le_coach_d_une_seule_structure_ne_voit_que_son_equipe(client, cohorte):
    coach_de_leers = UtilisateurFactory(coach=True, email="coach.leers@programme.test")
    cohorte["leers"].coach = coach_de_leers
    cohorte["leers"].save(update_fields=["coach"])
    client.force_login(coach_de_leers)

    reponse = client.get(reverse("accompagnement:emargement", args=[cohorte["passee"].pk]))
    attestation_de_houplines = client.get(
        reverse("accompagnement:attestation", args=[cohorte["passee"].pk, cohorte["Diallo"].pk])
    )

    assert [i.referent.nom_complet for i in reponse.context["inscriptions"]] == [
        "Claire Vandamme",
        "David Wattrelot",
    ]
    assert attestation_de_houplines.status_code == 404
