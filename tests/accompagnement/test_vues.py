import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from accompagnement import calendrier, services
from accompagnement.enums import EtatJalon, EtatPlan, TypeJalon
from accompagnement.models import Jalon, PlanAccompagnement
from tests.accompagnement.factories import SessionFactory, formation_de, plan_pour
from tests.candidatures.fichiers import fichier
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_un_coach_a_404_sur_le_plan_d_un_autre_coach(client, plan):
    autre = UtilisateurFactory(coach=True)
    client.force_login(autre)

    assert client.get(reverse("accompagnement:plan", args=[plan.pk])).status_code == 404
    jalon = plan.jalons.first()
    assert client.get(reverse("accompagnement:jalon", args=[jalon.pk])).status_code == 404
    assert (
        client.post(reverse("accompagnement:jalon_action", args=[jalon.pk, "terminer"]))
    ).status_code == 404


@pytest.mark.parametrize("qui", ["coach", "membre", "gestionnaire"])
def test_coach_structure_et_gestionnaire_voient_le_plan(client, plan, request, qui):
    client.force_login(request.getfixturevalue(qui))

    reponse = client.get(reverse("accompagnement:plan", args=[plan.pk]))

    assert reponse.status_code == 200
    assert '<h1 class="h2">Plan d\'accompagnement — CCAS de Houplines</h1>' in reponse.text


def test_le_plan_d_une_structure_encore_sans_coach_s_affiche(client, membre):
    # Juste après les résultats, un plan n'a pas encore de coach : sa page ne doit pas tomber.
    sans_coach = plan_pour(structure__nom="CCAS de Wervicq-Sud", structure__membres=[membre])
    client.force_login(membre)

    reponse = client.get(reverse("accompagnement:plan", args=[sans_coach.pk]))

    assert reponse.status_code == 200
    assert "coach : à affecter</p>" in reponse.text


def test_une_autre_structure_a_404(client, plan):
    autre = plan_pour(structure__nom="CCAS de Leers", structure__membres=[UtilisateurFactory()])
    client.force_login(autre.structure.membres.first())

    assert client.get(reverse("accompagnement:plan", args=[plan.pk])).status_code == 404


def test_marquer_fait_depuis_la_page_du_jalon(client, plan, coach):
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)
    client.force_login(coach)

    reponse = client.post(reverse("accompagnement:jalon_action", args=[jalon.pk, "terminer"]))

    assert reponse.status_code == 302
    assert Jalon.objects.get(pk=jalon.pk).etat == EtatJalon.FAIT
    deja = client.post(reverse("accompagnement:jalon_action", args=[jalon.pk, "terminer"]))
    assert deja.status_code == 409


def test_la_structure_ne_peut_pas_marquer_fait_403(client, plan, membre):
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)
    client.force_login(membre)

    reponse = client.post(reverse("accompagnement:jalon_action", args=[jalon.pk, "terminer"]))

    assert reponse.status_code == 403
    assert Jalon.objects.get(pk=jalon.pk).etat == EtatJalon.PREVU


def test_ajouter_une_preuve_avec_un_fichier_valide(client, plan, coach):
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)
    client.force_login(coach)

    reponse = client.post(
        reverse("accompagnement:jalon_preuve", args=[jalon.pk]),
        {"note": "Réunion tenue avec la directrice.", "fichiers": [fichier("compte-rendu.pdf")]},
    )

    assert reponse.status_code == 302
    jalon = Jalon.objects.get(pk=jalon.pk)
    assert jalon.note == "Réunion tenue avec la directrice."
    assert [(p.nom_original, p.type_mime) for p in jalon.preuves.all()] == [
        ("compte-rendu.pdf", "application/pdf")
    ]


def test_une_preuve_se_telecharge_et_un_fichier_disparu_donne_404(client, plan, coach):
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)
    client.force_login(coach)
    client.post(
        reverse("accompagnement:jalon_preuve", args=[jalon.pk]),
        {"note": "", "fichiers": [fichier("compte-rendu.pdf")]},
    )
    piece = jalon.preuves.get()
    url = reverse("accompagnement:preuve", args=[jalon.pk, piece.pk])
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == 'attachment; filename="compte-rendu.pdf"'
    assert b"".join(reponse.streaming_content).startswith(b"%PDF")
    piece.fichier.storage.delete(piece.fichier.name)
    assert client.get(url).status_code == 404


def test_une_preuve_d_un_type_refuse_ne_laisse_rien_et_garde_la_note(client, plan, coach):
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)
    client.force_login(coach)

    reponse = client.post(
        reverse("accompagnement:jalon_preuve", args=[jalon.pk]),
        {"note": "Ma note", "fichiers": [fichier("faux.pdf", contenu=b"pas un pdf")]},
    )

    assert reponse.status_code == 400
    assert "n&#x27;est pas celui d&#x27;un fichier PDF" in reponse.text
    assert "Ma note" in reponse.text
    assert Jalon.objects.get(pk=jalon.pk).note == ""
    assert jalon.preuves.count() == 0


def test_cadrage_valide_par_les_deux_complete_les_jalons_et_active_le_plan(plan, coach, membre):
    services.enregistrer_cadrage(
        plan,
        par=membre,
        champs={
            "publics": "Personnes âgées isolées",
            "equipe": "Trois travailleurs sociaux",
            "equipement": "Deux ordinateurs",
            "partenaires": "Médiathèque",
            "offre_existante": "Aucune",
            "objectifs": "Animer des ateliers mensuels",
        },
        actions=[{"libelle": "Premier atelier", "echeance": datetime.date(2023, 3, 1)}],
    )

    services.valider_cadrage(plan, par=coach)
    assert PlanAccompagnement.objects.get(pk=plan.pk).etat == EtatPlan.CADRAGE
    services.valider_cadrage(plan, par=membre)

    assert PlanAccompagnement.objects.get(pk=plan.pk).etat == EtatPlan.ACTIF
    assert set(
        Jalon.objects.filter(
            plan=plan, type__in=[TypeJalon.DIAGNOSTIC, TypeJalon.PLAN_ACCOMPAGNEMENT]
        ).values_list("etat", flat=True)
    ) == {EtatJalon.FAIT}


def test_le_flux_ics_contient_sessions_jalons_et_comite(client, plan, coach, membre, gestionnaire):
    session = SessionFactory(
        plans=[plan], formation=formation_de(plan, TypeJalon.FORMATION_1), formateur=coach
    )
    PlanAccompagnement.objects.filter(pk=plan.pk).update(etat=EtatPlan.ACTIF)
    comite = services.planifier_comite(
        plan.programme,
        par=gestionnaire,
        plans=[plan],
        date=datetime.date(2023, 12, 14),
        lieu="Lille",
    )
    Jalon.objects.filter(plan=plan, type=TypeJalon.BILAN_MI_PARCOURS).update(etat=EtatJalon.ANNULE)

    reponse = client.get(calendrier.adresse_du_flux(membre, absolue=False))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    evenements = Calendar.from_ical(reponse.content).walk("VEVENT")
    uids = [str(e["uid"]) for e in evenements]
    jalons = plan.jalons.exclude(type__in=[TypeJalon.BILAN_MI_PARCOURS, TypeJalon.COMITE_CLOTURE])
    assert uids == (
        [f"session-{session.pk}@relais"]
        + [f"jalon-{j.pk}@relais" for j in jalons.order_by("echeance", "pk")]
        + [f"comite-{comite.pk}@relais"]
    )
    comite_ics = evenements[-1]
    assert (str(comite_ics["summary"]), comite_ics.decoded("dtstart").isoformat()) == (
        "Comité de clôture",
        "2023-12-14T14:00:00+01:00",
    )


def test_le_flux_d_une_adresse_alteree_ou_regeneree_est_introuvable(client, coach):
    adresse = calendrier.adresse_du_flux(coach, absolue=False)
    assert client.get(adresse).status_code == 200

    assert client.get(adresse.replace(".ics", "x.ics")).status_code == 404
    calendrier.regenerer_jeton(coach)
    assert client.get(adresse).status_code == 404
