"""Les fragments gardés en cache de la frise (ses lignes, le tableau des étapes) et du plan (le
tableau des étapes) : leur clé est l'empreinte de ce qu'ils montrent, lue à chaque requête.
Chaque test affiche la page pour ranger ses fragments, écrit sans passer par un service (une
mise à jour directe, qu'aucun effacement de cache ne suit), puis relit : avec un fragment qui
ne suivrait pas l'écriture, le chiffre lu serait l'ancien."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accompagnement import services
from accompagnement.enums import EtatJalon, TypeJalon
from accompagnement.models import Jalon
from echanges import services as services_des_echanges
from structures.models import Structure
from tests.accompagnement import test_frise
from tests.accompagnement.test_frise import _dater, _mars_charge

pytestmark = pytest.mark.django_db

# La date du jour fixée au 15 mars 2023, comme dans tests/accompagnement/test_frise.py.
le_15_mars_2023 = test_frise.le_15_mars_2023


def _frise(client, **parametres):
    reponse = client.get(reverse("accompagnement:frise"), parametres)
    assert reponse.status_code == 200
    return reponse.text


def _case_de_mars(contenu):
    return contenu.split('<td class="mois-courant">')[1].split("</td>")[0]


def _tableau(contenu):
    return contenu.split('id="titre-tableau"')[1]


@pytest.mark.usefixtures("le_15_mars_2023")
def test_les_fragments_de_la_frise_suivent_l_etat_des_etapes(client, plan, coach):
    _mars_charge(plan)
    client.force_login(coach)
    avant = _frise(client)
    assert _case_de_mars(avant) == (
        '<span class="pastille pastille-en_retard"><span aria-hidden="true">!</span> '
        "3 en retard</span>"
        '<span class="pastille pastille-prevu"><span aria-hidden="true">○</span> '
        "1 prévue</span>"
        '<span class="pastille pastille-fait"><span aria-hidden="true">✓</span> '
        "2 faites</span>"
    )
    assert '<span class="small text-danger">4 en retard</span>' in avant
    diagnostic = plan.jalons.get(type=TypeJalon.DIAGNOSTIC)
    ligne = (
        f'<a href="/accompagnement/jalons/{diagnostic.pk}/">Diagnostic des besoins</a></td>'
        "<td>1 mars 2023</td><td>{}</td></tr>"
    )
    assert ligne.format("En retard") in _tableau(avant)

    Jalon.objects.filter(pk=diagnostic.pk).update(etat=EtatJalon.FAIT)

    apres = _frise(client)
    assert _case_de_mars(apres) == (
        '<span class="pastille pastille-en_retard"><span aria-hidden="true">!</span> '
        "2 en retard</span>"
        '<span class="pastille pastille-prevu"><span aria-hidden="true">○</span> '
        "1 prévue</span>"
        '<span class="pastille pastille-fait"><span aria-hidden="true">✓</span> '
        "3 faites</span>"
    )
    assert '<span class="small text-danger">3 en retard</span>' in apres
    assert ligne.format("Fait") in _tableau(apres)
    assert ligne.format("En retard") not in _tableau(apres)


@pytest.mark.usefixtures("le_15_mars_2023")
def test_les_fragments_de_la_frise_suivent_le_nom_l_echeance_et_le_coach(client, plan, coach):
    _mars_charge(plan)
    client.force_login(coach)
    # Le titre, les prochaines échéances, la frise, les 8 lignes du tableau.
    assert _frise(client).count("CCAS de Houplines") == 15

    Structure.objects.filter(pk=plan.structure_id).update(nom="CCAS de Houplines-Nord")
    _dater(plan, TypeJalon.FORMATION_2, datetime.date(2023, 4, 28))
    coach.first_name = "Clémence"
    coach.save()

    contenu = _frise(client)
    assert contenu.count("CCAS de Houplines-Nord") == 15
    assert "1 prévue" not in _case_de_mars(contenu)
    formation = plan.jalons.get(type=TypeJalon.FORMATION_2)
    assert (
        f'<a href="/accompagnement/jalons/{formation.pk}/">{formation.libelle}</a></td>'
        "<td>28 avril 2023</td><td>Prévu</td></tr>"
    ) in _tableau(contenu)
    assert "<td>Clémence " in contenu


@pytest.mark.usefixtures("le_15_mars_2023")
def test_la_frise_en_anglais_n_est_pas_celle_en_francais(client, plan, coach):
    _mars_charge(plan)
    client.force_login(coach)
    assert "3 en retard</span>" in _frise(client)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    contenu = _frise(client)

    assert "3 en retard</span>" not in contenu
    assert "<td>1 March 2023</td>" in _tableau(contenu)


@pytest.mark.usefixtures("le_15_mars_2023")
def test_la_frise_fait_autant_de_requetes_avec_ou_sans_ses_fragments_en_cache(client, plan, coach):
    _mars_charge(plan)
    client.force_login(coach)
    _frise(client, etat="fait")  # sessions, types de contenu
    comptes = []
    for _fois in range(2):
        with CaptureQueriesContext(connection) as requetes:
            _frise(client)
        comptes.append(len(requetes))
    assert comptes[0] == comptes[1]


def _plan(client, plan):
    reponse = client.get(reverse("accompagnement:plan", args=[plan.pk]))
    assert reponse.status_code == 200
    return reponse.text


def test_le_tableau_des_etapes_du_plan_suit_chaque_etape(client, plan, coach):
    client.force_login(coach)
    lancement = plan.jalons.get(type=TypeJalon.LANCEMENT)
    debut = f'<a href="/accompagnement/jalons/{lancement.pk}/">{lancement.libelle}</a></td>'
    avant = _plan(client, plan)
    assert avant.count("</td></tr>") == plan.jalons.count() == 10
    assert debut in avant

    services.terminer_jalon(lancement, par=coach)
    Jalon.objects.filter(pk=lancement.pk).update(libelle="Lancement du plan", echeance="2023-01-31")

    apres = _plan(client, plan)
    ligne = apres.split(f'<a href="/accompagnement/jalons/{lancement.pk}/">')[1].split("</tr>")[0]
    assert ligne.startswith("Lancement du plan</a></td>")
    assert "<td>31 janvier 2023</td>" in ligne
    assert '<span class="pastille pastille-fait">✓ Fait</span>' in ligne


def test_la_page_d_un_plan_fait_autant_de_requetes_pour_10_et_pour_110_etapes(client, plan, coach):
    client.force_login(coach)

    def requetes():
        _plan(client, plan)
        with CaptureQueriesContext(connection) as capture:
            _plan(client, plan)
        return len(capture)

    dix = requetes()
    modele = plan.jalons.get(type=TypeJalon.LANCEMENT)
    Jalon.objects.bulk_create(
        Jalon(
            plan=plan,
            ordre=100 + rang,
            type=modele.type,
            libelle=f"Étape {rang}",
            debut=modele.debut,
            echeance=modele.echeance,
        )
        for rang in range(100)
    )

    assert plan.jalons.count() == 110
    assert requetes() == dix


@pytest.mark.usefixtures("le_15_mars_2023")
def test_la_ligne_de_la_frise_suit_les_messages_non_lus_de_chacun(
    client, plan, coach, gestionnaire
):
    """Le badge de messages non lus est dans la ligne gardée en cache : un message du coach
    s'y lit chez le gestionnaire à la vue suivante, jamais chez le coach qui l'a écrit."""
    _mars_charge(plan)
    client.force_login(gestionnaire)
    assert "message non lu" not in _frise(client)
    client.force_login(coach)
    assert "message non lu" not in _frise(client)

    services_des_echanges.ecrire(plan, par=coach, texte="Rendez-vous mardi ?")

    assert "message non lu" not in _frise(client)
    client.force_login(gestionnaire)
    assert _frise(client).count("1 message non lu</span>") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("le_15_mars_2023")
def test_la_page_entiere_est_resservie_puis_suit_une_mise_a_jour_directe(
    client, plan, coach, django_assert_num_queries
):
    """La page entière gardée (noyau.pages_en_cache), hors de la transaction d'un test : la
    seconde lecture ne coûte que le compte et l'horloge ; une mise à jour directe (ni service
    ni signal) la rend caduque, et la page suivante montre les nouveaux chiffres."""
    _mars_charge(plan)
    client.force_login(coach)
    _frise(client)  # pose le cookie CSRF : une page qui en tire un neuf n'est pas gardée
    avant = _frise(client)
    assert "3 en retard</span>" in _case_de_mars(avant)
    with django_assert_num_queries(2):
        assert _frise(client) == avant

    diagnostic = plan.jalons.get(type=TypeJalon.DIAGNOSTIC)
    Jalon.objects.filter(pk=diagnostic.pk).update(etat=EtatJalon.FAIT)

    apres = _frise(client)
    assert "2 en retard</span>" in _case_de_mars(apres)
    assert "3 faites</span>" in _case_de_mars(apres)
    assert '<span class="small text-danger">3 en retard</span>' in apres
