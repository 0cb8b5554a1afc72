"""La frise de la cohorte : une case par structure et par mois, qui compte les étapes par
avancement ; le tableau qui la suit nomme les étapes du mois dernier aux deux mois qui
viennent."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompagnement.enums import Avancement, EtatJalon, TypeJalon
from accompagnement.models import Jalon, PlanAccompagnement
from tests.accompagnement.factories import plan_pour
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

LE_15_MARS_2023 = datetime.date(2023, 3, 15)


@pytest.fixture
def le_15_mars_2023(monkeypatch):
    """La frise lit la date du jour ; l'horloge est hors de notre code, on la fixe."""
    vraie_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return LE_15_MARS_2023 if value is None else vraie_localdate(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    return LE_15_MARS_2023


def _dater(plan, type_jalon, echeance, etat=EtatJalon.PREVU):
    Jalon.objects.filter(plan=plan, type=type_jalon).update(echeance=echeance, etat=etat)


def _case(frise, ligne, mois):
    return [(c.avancement, c.nombre) for c in ligne.cellules[frise.mois.index(mois)].comptes]


def _mars_charge(plan):
    """En mars 2023 : trois étapes en retard au 15, deux faites, une prévue le 28 ; une en
    cours en juin."""
    _dater(plan, TypeJalon.DIAGNOSTIC, datetime.date(2023, 3, 1))
    _dater(plan, TypeJalon.PLAN_ACCOMPAGNEMENT, datetime.date(2023, 3, 6))
    _dater(plan, TypeJalon.FORMATION_1, datetime.date(2023, 3, 10))
    _dater(plan, TypeJalon.KITS, datetime.date(2023, 3, 2), EtatJalon.FAIT)
    _dater(plan, TypeJalon.ECOSYSTEME, datetime.date(2023, 3, 3), EtatJalon.FAIT)
    _dater(plan, TypeJalon.FORMATION_2, datetime.date(2023, 3, 28))
    _dater(plan, TypeJalon.BILAN_MI_PARCOURS, datetime.date(2023, 6, 3), EtatJalon.EN_COURS)


def test_la_frise_du_coach_ne_montre_que_ses_plans(client, plan, coach):
    plan_pour(structure__nom="CCAS d'ailleurs", coach=UtilisateurFactory(coach=True))
    client.force_login(coach)

    reponse = client.get(reverse("accompagnement:frise"))

    assert reponse.status_code == 200
    assert [ligne.plan for ligne in reponse.context["frise"].lignes] == [plan]
    assert "CCAS d&#x27;ailleurs" not in reponse.text


def test_chaque_case_compte_les_etapes_du_mois_par_avancement(client, plan, coach, le_15_mars_2023):
    _mars_charge(plan)
    client.force_login(coach)

    reponse = client.get(reverse("accompagnement:frise"))

    frise = reponse.context["frise"]
    [ligne] = frise.lignes
    # Du mois de démarrage (octobre 2022) à la dernière échéance (comité, février 2024).
    assert frise.mois[0] == datetime.date(2022, 10, 1)
    assert frise.mois[-1] == datetime.date(2024, 2, 1)
    assert len(frise.mois) == len(ligne.cellules) == 17
    assert _case(frise, ligne, datetime.date(2022, 10, 1)) == [(Avancement.EN_RETARD, 1)]
    assert _case(frise, ligne, datetime.date(2022, 11, 1)) == []
    assert _case(frise, ligne, datetime.date(2023, 3, 1)) == [
        (Avancement.EN_RETARD, 3),
        (Avancement.PREVU, 1),
        (Avancement.FAIT, 2),
    ]
    assert _case(frise, ligne, datetime.date(2023, 6, 1)) == [(Avancement.EN_COURS, 1)]
    assert _case(frise, ligne, datetime.date(2024, 1, 1)) == [(Avancement.PREVU, 1)]
    assert ligne.nombre_en_retard == 4
    # Le texte de chaque compte se lit seul ; le symbole double la couleur sans être lu.
    assert (
        '<td class="mois-courant">'
        '<span class="pastille pastille-en_retard"><span aria-hidden="true">!</span> '
        "3 en retard</span>"
        '<span class="pastille pastille-prevu"><span aria-hidden="true">○</span> '
        "1 prévue</span>"
        '<span class="pastille pastille-fait"><span aria-hidden="true">✓</span> '
        "2 faites</span></td>"
    ) in reponse.text
    assert '<th scope="col" class="mois-courant">mars 2023<br>ce mois-ci</th>' in reponse.text
    assert '<span class="small text-danger">4 en retard</span>' in reponse.text
    # La frise compte, elle ne nomme plus : les intitulés sont dans le tableau qui la suit.
    section_frise = reponse.text.split('id="titre-frise"')[1].split('id="titre-tableau"')[0]
    assert "Diagnostic des besoins" not in section_frise
    assert "/accompagnement/jalons/" not in section_frise


def test_le_tableau_nomme_les_etapes_du_mois_dernier_aux_deux_mois_qui_viennent(
    client, plan, coach, le_15_mars_2023
):
    _mars_charge(plan)
    _dater(plan, TypeJalon.LANCEMENT, datetime.date(2023, 1, 31), EtatJalon.FAIT)
    _dater(plan, TypeJalon.ATELIERS, datetime.date(2023, 2, 1), EtatJalon.FAIT)
    _dater(plan, TypeJalon.COMITE_CLOTURE, datetime.date(2023, 5, 31))
    client.force_login(coach)

    reponse = client.get(reverse("accompagnement:frise"))

    [ligne] = reponse.context["frise"].lignes
    assert [(j.type, j.avancement_du_jour) for j in ligne.jalons] == [
        (TypeJalon.ATELIERS, Avancement.FAIT),
        (TypeJalon.DIAGNOSTIC, Avancement.EN_RETARD),
        (TypeJalon.KITS, Avancement.FAIT),
        (TypeJalon.ECOSYSTEME, Avancement.FAIT),
        (TypeJalon.PLAN_ACCOMPAGNEMENT, Avancement.EN_RETARD),
        (TypeJalon.FORMATION_1, Avancement.EN_RETARD),
        (TypeJalon.FORMATION_2, Avancement.PREVU),
        (TypeJalon.COMITE_CLOTURE, Avancement.PREVU),
    ]
    tableau = reponse.text.split('id="titre-tableau"')[1]
    assert ">Étapes de février 2023 à mai 2023</h2>" in tableau
    assert tableau.count("<tr><td>CCAS de Houplines</td>") == 8
    diagnostic = plan.jalons.get(type=TypeJalon.DIAGNOSTIC)
    assert (
        f'<tr><td>CCAS de Houplines</td><td><a href="/accompagnement/jalons/{diagnostic.pk}/">'
        "Diagnostic des besoins</a></td><td>1 mars 2023</td><td>En retard</td></tr>"
    ) in tableau
    # Le lancement de janvier et le bilan de juin sont comptés dans la frise, pas nommés ici.
    assert "Réunion de lancement" not in tableau and "Bilan à mi-parcours" not in tableau


def test_la_frise_filtre_par_etat_derive(client, plan, coach, le_15_mars_2023):
    _mars_charge(plan)
    client.force_login(coach)

    reponse = client.get(reverse("accompagnement:frise"), {"etat": "en_retard"})

    frise = reponse.context["frise"]
    [ligne] = frise.lignes
    assert [
        (cellule.mois, [(c.avancement, c.nombre) for c in cellule.comptes])
        for cellule in ligne.cellules
        if cellule.comptes
    ] == [
        (datetime.date(2022, 10, 1), [(Avancement.EN_RETARD, 1)]),
        (datetime.date(2023, 3, 1), [(Avancement.EN_RETARD, 3)]),
    ]
    # Les colonnes et le total en retard ne dépendent pas du filtre.
    assert len(frise.mois) == 17
    assert ligne.nombre_en_retard == 4
    assert [j.type for j in ligne.jalons] == [
        TypeJalon.DIAGNOSTIC,
        TypeJalon.PLAN_ACCOMPAGNEMENT,
        TypeJalon.FORMATION_1,
    ]
    assert "1 prévue" not in reponse.text and "2 faites" not in reponse.text

    reponse = client.get(reverse("accompagnement:frise"), {"etat": "fait"})

    [ligne] = reponse.context["frise"].lignes
    assert [c.texte for cellule in ligne.cellules for c in cellule.comptes] == ["2 faites"]
    assert [j.type for j in ligne.jalons] == [TypeJalon.KITS, TypeJalon.ECOSYSTEME]


def test_une_echeance_avant_le_demarrage_ouvre_la_frise_plus_tot(client, plan, coach):
    _dater(plan, TypeJalon.LANCEMENT, datetime.date(2022, 9, 20), EtatJalon.FAIT)
    client.force_login(coach)

    reponse = client.get(reverse("accompagnement:frise"))

    frise = reponse.context["frise"]
    [ligne] = frise.lignes
    assert frise.mois[0] == datetime.date(2022, 9, 1)
    assert _case(frise, ligne, datetime.date(2022, 9, 1)) == [(Avancement.FAIT, 1)]


def test_sans_etape_dans_la_periode_le_tableau_le_dit(client, plan, coach):
    # Le plan s'est achevé en février 2024 : aujourd'hui, rien n'est proche.
    client.force_login(coach)

    reponse = client.get(reverse("accompagnement:frise"))

    [ligne] = reponse.context["frise"].lignes
    assert ligne.jalons == []
    assert ligne.nombre_en_retard == 10
    assert "<p>Aucune étape sur cette période.</p>" in reponse.text
    assert f'<a href="/accompagnement/plans/{plan.pk}/">CCAS de Houplines</a>' in reponse.text


def _requetes_de_la_frise(client, utilisateur, **parametres):
    client.force_login(utilisateur)
    client.get(reverse("accompagnement:frise"))  # caches (sessions, types de contenu)
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(reverse("accompagnement:frise"), parametres)
    assert reponse.status_code == 200
    return len(requetes)


def _cinquante_plans(programme):
    plan_pour(appel__programme=programme, structure__nom="Structure 00")
    appel = PlanAccompagnement.objects.get().candidature.appel
    for numero in range(1, 50):
        plan_pour(
            appel=appel,
            structure__nom=f"Structure {numero:02d}",
            coach=UtilisateurFactory(coach=True),
            date_debut=(datetime.date(2022, 10, 3) + datetime.timedelta(days=numero)),
        )


def test_la_frise_fait_autant_de_requetes_pour_1_et_pour_50_plans(
    client, programme, gestionnaire, le_15_mars_2023
):
    plan_pour(appel__programme=programme)
    une = _requetes_de_la_frise(client, gestionnaire)
    appel = PlanAccompagnement.objects.get().candidature.appel
    for numero in range(49):
        plan_pour(
            appel=appel,
            coach=UtilisateurFactory(coach=True),
            date_debut=(datetime.date(2022, 10, 3) + datetime.timedelta(days=numero)),
        )

    # 50 plans font 5 pages de 10 : la première, une du milieu et la dernière coûtent pareil.
    cinquante = [
        _requetes_de_la_frise(client, gestionnaire, **parametres)
        for parametres in ({}, {"page": 3}, {"page": 5, "etat": "en_retard"})
    ]

    assert PlanAccompagnement.objects.count() == 50
    assert cinquante == [une, une, une]


def test_la_frise_montre_10_plans_par_page_et_le_tableau_de_la_meme_page(
    client, programme, gestionnaire, le_15_mars_2023
):
    _cinquante_plans(programme)
    client.force_login(gestionnaire)

    reponse = client.get(reverse("accompagnement:frise"), {"page": 2, "etat": "en_retard"})

    frise = reponse.context["frise"]
    noms = [f"Structure {numero:02d}" for numero in range(10, 20)]
    assert [ligne.plan.structure.nom for ligne in frise.lignes] == noms
    assert frise.page.paginator.count == 50
    # Le tableau ne reprend que les étapes des plans de la page.
    tableau = reponse.text.split('id="titre-tableau"')[1]
    assert "Structure 10" in tableau and "Structure 19" in tableau
    assert "Structure 09" not in tableau and "Structure 20" not in tableau
    # Au 15 mars, en retard de février à mai : les deux étapes de février de chaque plan, et
    # celles du 13 et du 14 mars des plans démarrés les 13 et 14 octobre.
    assert tableau.count("<tr><td>") == sum(len(ligne.jalons) for ligne in frise.lignes) == 24
    # La pagination garde le filtre d'état.
    assert '<nav aria-label="Pagination">' in reponse.text
    assert "?etat=en_retard&amp;page=1" in reponse.text
    assert "?etat=en_retard&amp;page=3" in reponse.text
    assert "50 plans suivis — plans 11 à 20 ci-dessous" in reponse.text


def _dix_plans_de_cent_etapes(programme, aujourd_hui):
    """Comme le banc d'essai : cent étapes par plan, une tous les cinq jours de 250 jours
    avant aujourd'hui à 245 jours après ; le passé est fait, sauf une étape sur dix."""
    plan_pour(appel__programme=programme, structure__nom="Structure 00")
    appel = PlanAccompagnement.objects.get().candidature.appel
    for numero in range(1, 10):
        plan_pour(appel=appel, structure__nom=f"Structure {numero:02d}")
    PlanAccompagnement.objects.update(date_debut=aujourd_hui - datetime.timedelta(days=240))
    Jalon.objects.all().delete()
    jalons = []
    for plan in PlanAccompagnement.objects.all():
        for ordre in range(100):
            echeance = aujourd_hui + datetime.timedelta(days=-250 + 5 * ordre)
            if echeance >= aujourd_hui:
                etat = EtatJalon.PREVU
            else:
                etat = EtatJalon.EN_COURS if ordre % 10 == 0 else EtatJalon.FAIT
            jalons.append(
                Jalon(
                    plan=plan,
                    ordre=ordre,
                    type=TypeJalon.AUTRE,
                    libelle=f"Étape {ordre + 1}",
                    debut=echeance,
                    echeance=echeance,
                    etat=etat,
                )
            )
    Jalon.objects.bulk_create(jalons)


def test_la_page_de_10_plans_de_100_etapes_reste_legere(
    client, programme, gestionnaire, le_15_mars_2023
):
    _dix_plans_de_cent_etapes(programme, le_15_mars_2023)
    client.force_login(gestionnaire)

    reponse = client.get(reverse("accompagnement:frise"))

    frise = reponse.context["frise"]
    assert len(frise.lignes) == 10
    assert len(frise.mois) == 17  # juillet 2022 à novembre 2023
    # Du 1er février au 31 mai 2023 : vingt-quatre étapes par plan, du 3 février au 29 mai.
    assert frise.nombre_d_etapes_au_tableau == 240
    assert reponse.text.count("<tr><td>") == 240
    tableau = reponse.text.split('id="titre-tableau"')[1]
    assert ">Étape 42</a>" not in tableau and ">Étape 43</a>" in tableau  # 29 janv., 3 févr.
    # Chaque étape dessinée deux fois (frise et tableau) pesait 354 Ko sur ces données ;
    # la page en fait 63 Ko, surtout les 240 lignes du tableau.
    assert len(reponse.content) < 70_000
