import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from accompagnement import services
from accompagnement.enums import Avancement, EtatJalon, EtatPlan, TypeJalon
from accompagnement.models import Jalon, ModeleJalon, PlanAccompagnement
from candidatures.enums import EtatCandidature
from journal.enums import TypeEvenement
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from tests.accompagnement.factories import DEBUT, plan_pour
from tests.candidatures.factories import AppelFactory, CandidatureFactory, candidature_dans_l_etat
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_creer_plan_pour_une_laureate_cree_le_plan_et_ses_dix_jalons(programme, gestionnaire):
    candidature = CandidatureFactory(retenue=True, appel__programme=programme)

    plan = services.creer_plan_pour(candidature, par=gestionnaire, date_debut=DEBUT)

    assert plan.etat == EtatPlan.CADRAGE
    assert (plan.programme, plan.structure, plan.date_debut) == (
        programme,
        candidature.structure,
        DEBUT,
    )
    assert [(j.type, j.debut, j.echeance) for j in plan.jalons.order_by("ordre")] == [
        (TypeJalon.LANCEMENT, datetime.date(2022, 10, 3), datetime.date(2022, 10, 3)),
        (TypeJalon.DIAGNOSTIC, datetime.date(2022, 10, 3), datetime.date(2022, 11, 3)),
        (TypeJalon.PLAN_ACCOMPAGNEMENT, datetime.date(2022, 11, 3), datetime.date(2022, 12, 3)),
        (TypeJalon.FORMATION_1, datetime.date(2022, 12, 3), datetime.date(2023, 2, 3)),
        (TypeJalon.FORMATION_2, datetime.date(2023, 1, 3), datetime.date(2023, 3, 3)),
        (TypeJalon.KITS, datetime.date(2023, 2, 3), datetime.date(2023, 2, 3)),
        (TypeJalon.ECOSYSTEME, datetime.date(2023, 3, 3), datetime.date(2023, 3, 3)),
        (TypeJalon.ATELIERS, datetime.date(2023, 3, 3), datetime.date(2024, 1, 3)),
        (TypeJalon.BILAN_MI_PARCOURS, datetime.date(2023, 6, 3), datetime.date(2023, 6, 3)),
        (TypeJalon.COMITE_CLOTURE, datetime.date(2024, 2, 3), datetime.date(2024, 2, 3)),
    ]
    assert set(plan.jalons.values_list("etat", flat=True)) == {EtatJalon.PREVU}
    evenement = Evenement.objects.get(type=TypeEvenement.PLAN_ACCOMPAGNEMENT_CREE)
    assert (evenement.cible, evenement.acteur, evenement.donnees) == (
        plan,
        gestionnaire,
        {"date_debut": "2022-10-03", "jalons": 10},
    )


def test_creer_plan_pour_deux_fois_ne_cree_rien_de_plus(programme, gestionnaire):
    candidature = CandidatureFactory(retenue=True, appel__programme=programme)

    premier = services.creer_plan_pour(candidature, par=gestionnaire)
    second = services.creer_plan_pour(candidature, par=gestionnaire)

    assert second == premier
    assert PlanAccompagnement.objects.count() == 1
    assert Jalon.objects.count() == 10
    assert ModeleJalon.objects.filter(programme=programme).count() == 10
    assert Evenement.objects.filter(type=TypeEvenement.PLAN_ACCOMPAGNEMENT_CREE).count() == 1


@pytest.mark.parametrize(
    "etat", [e for e in EtatCandidature.values if e != EtatCandidature.RETENUE]
)
def test_creer_plan_pour_refuse_une_candidature_non_retenue(etat):
    candidature = candidature_dans_l_etat(etat)

    with pytest.raises(ActionImpossible):
        services.creer_plan_pour(candidature, par=None)

    assert PlanAccompagnement.objects.count() == 0


def test_les_echeances_viennent_du_modele_modifie_du_programme(programme):
    lignes = services.modele_du_programme(programme)
    comite = next(ligne for ligne in lignes if ligne.type == TypeJalon.COMITE_CLOTURE)
    comite.decalage_mois = 14
    comite.save()
    ModeleJalon.objects.create(
        programme=programme,
        ordre=20,
        type=TypeJalon.AUTRE,
        libelle="Visite du financeur",
        decalage_mois=6,
        duree_mois=1,
    )

    plan = plan_pour(appel__programme=programme, date_debut=datetime.date(2023, 1, 31))

    assert plan.jalons.get(type=TypeJalon.COMITE_CLOTURE).echeance == datetime.date(2024, 3, 31)
    visite = plan.jalons.get(type=TypeJalon.AUTRE)
    assert (visite.libelle, visite.debut, visite.echeance) == (
        "Visite du financeur",
        datetime.date(2023, 7, 31),
        datetime.date(2023, 8, 31),
    )
    # Fin de mois : le 31 janvier plus un mois tombe le 28 février.
    assert plan.jalons.get(type=TypeJalon.DIAGNOSTIC).echeance == datetime.date(2023, 2, 28)


def test_creer_plans_cohorte_cree_les_manquants_et_redate_ceux_pas_commences(
    programme, gestionnaire
):
    appel = AppelFactory(programme=programme, clos=True)
    deja_cree = CandidatureFactory(appel=appel, retenue=True)
    commence = CandidatureFactory(appel=appel, retenue=True)
    manquante = CandidatureFactory(appel=appel, retenue=True)
    CandidatureFactory(appel=appel, non_retenue=True)
    plan_intact = services.creer_plan_pour(deja_cree, par=gestionnaire)
    plan_commence = services.creer_plan_pour(commence, par=gestionnaire)
    lancement = plan_commence.jalons.get(type=TypeJalon.LANCEMENT)
    services.terminer_jalon(lancement, par=gestionnaire)

    creees, redates, inchanges = services.creer_plans_cohorte(
        appel, par=gestionnaire, date_debut=DEBUT
    )

    assert [p.candidature for p in creees] == [manquante]
    assert redates == [plan_intact]
    assert inchanges == [plan_commence]
    assert PlanAccompagnement.objects.get(pk=plan_intact.pk).date_debut == DEBUT
    assert Jalon.objects.get(
        plan=plan_intact, type=TypeJalon.COMITE_CLOTURE
    ).echeance == datetime.date(2024, 2, 3)
    assert services.creer_plans_cohorte(appel, par=gestionnaire, date_debut=DEBUT) == (
        [],
        [],
        [plan_intact, plan_commence, creees[0]],
    )


def test_creer_plans_cohorte_refuse_le_gestionnaire_d_un_autre_programme(programme):
    autre = UtilisateurFactory(gestionnaire=True)
    appel = AppelFactory(programme=programme, clos=True)

    with pytest.raises(ActionNonPermise):
        services.creer_plans_cohorte(appel, par=autre, date_debut=DEBUT)


# --- Transitions des jalons ----------------------------------------------------------------

TRANSITIONS_JALON = {
    "commencer": ({EtatJalon.PREVU}, EtatJalon.EN_COURS),
    "terminer": ({EtatJalon.PREVU, EtatJalon.EN_COURS}, EtatJalon.FAIT),
    "annuler": ({EtatJalon.PREVU, EtatJalon.EN_COURS}, EtatJalon.ANNULE),
}


def _appeler(action, jalon, par):
    if action == "commencer":
        return services.commencer_jalon(jalon, par=par)
    if action == "terminer":
        return services.terminer_jalon(jalon, par=par)
    return services.annuler_jalon(jalon, par=par, motif="Remplacé par une visite sur place")


@pytest.mark.parametrize("action", TRANSITIONS_JALON)
@pytest.mark.parametrize("source", EtatJalon.values)
def test_transition_de_jalon_depuis_chaque_etat(plan, coach, action, source):
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)
    Jalon.objects.filter(pk=jalon.pk).update(etat=source)
    sources, cible = TRANSITIONS_JALON[action]

    if source in sources:
        _appeler(action, jalon, coach)
        assert Jalon.objects.get(pk=jalon.pk).etat == cible
        log = Evenement.objects.changements_d_etat().get(
            cible_type=ContentType.objects.get_for_model(Jalon), cible_id=jalon.pk
        )
        assert (log.depuis, log.vers, log.acteur) == (source, cible, coach)
    else:
        with pytest.raises(ActionImpossible):
            _appeler(action, jalon, coach)
        assert Jalon.objects.get(pk=jalon.pk).etat == source


def test_annuler_un_jalon_demande_un_motif(plan, coach):
    jalon = plan.jalons.get(type=TypeJalon.BILAN_MI_PARCOURS)

    with pytest.raises(DonneesRefusees):
        services.annuler_jalon(jalon, par=coach, motif="  ")

    assert Jalon.objects.get(pk=jalon.pk).etat == EtatJalon.PREVU


def test_un_autre_coach_ne_fait_pas_avancer_le_jalon(plan):
    autre = UtilisateurFactory(coach=True)
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)

    with pytest.raises(ActionNonPermise):
        services.terminer_jalon(jalon, par=autre)


def test_la_structure_ne_fait_pas_avancer_le_jalon_mais_le_gestionnaire_oui(
    plan, membre, gestionnaire
):
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)

    with pytest.raises(ActionNonPermise):
        services.terminer_jalon(jalon, par=membre)
    services.terminer_jalon(jalon, par=gestionnaire)

    assert Jalon.objects.get(pk=jalon.pk).etat == EtatJalon.FAIT


def test_modifier_l_echeance_est_journalise_avec_le_motif(plan, coach):
    jalon = plan.jalons.get(type=TypeJalon.KITS)

    services.modifier_echeance(
        jalon, par=coach, echeance=datetime.date(2023, 3, 15), motif="Livraison retardée"
    )

    assert Jalon.objects.get(pk=jalon.pk).echeance == datetime.date(2023, 3, 15)
    evenement = Evenement.objects.get(type=TypeEvenement.ECHEANCE_JALON_MODIFIEE)
    assert (evenement.acteur, evenement.motif, evenement.donnees) == (
        coach,
        "Livraison retardée",
        {"avant": "2023-02-03", "apres": "2023-03-15"},
    )


# --- « En retard », déduit de l'échéance ---------------------------------------------------


@pytest.mark.parametrize(
    ("etat", "aujourd_hui", "attendu"),
    [
        (EtatJalon.PREVU, datetime.date(2023, 2, 3), Avancement.PREVU),
        (EtatJalon.PREVU, datetime.date(2023, 2, 4), Avancement.EN_RETARD),
        (EtatJalon.EN_COURS, datetime.date(2023, 2, 3), Avancement.EN_COURS),
        (EtatJalon.EN_COURS, datetime.date(2023, 2, 4), Avancement.EN_RETARD),
        (EtatJalon.FAIT, datetime.date(2023, 6, 1), Avancement.FAIT),
        (EtatJalon.ANNULE, datetime.date(2023, 6, 1), Avancement.ANNULE),
    ],
)
def test_en_retard_est_deduit_de_l_echeance_a_une_date_fixe(plan, etat, aujourd_hui, attendu):
    Jalon.objects.filter(plan=plan, type=TypeJalon.KITS).update(etat=etat)
    jalon = Jalon.objects.get(plan=plan, type=TypeJalon.KITS)

    assert jalon.echeance == datetime.date(2023, 2, 3)
    assert jalon.avancement(aujourd_hui) == attendu
    assert list(
        Jalon.objects.filter(plan=plan).en_retard(aujourd_hui).values_list("type", flat=True)
    ).count(TypeJalon.KITS) == (1 if attendu == Avancement.EN_RETARD else 0)
    # La frise compte les étapes par la base : elle doit déduire le même avancement.
    assert (
        Jalon.objects.avec_avancement(aujourd_hui).values_list("avancement_du_jour", flat=True)
    ).get(pk=jalon.pk) == attendu


# --- Plan ----------------------------------------------------------------------------------


def test_affecter_un_coach_le_previent(
    plan, gestionnaire, mailoutbox, taches_immediates, django_capture_on_commit_callbacks
):
    nouveau = UtilisateurFactory(coach=True, email="nouveau.coach@programme.test")

    with django_capture_on_commit_callbacks(execute=True):
        services.affecter_coach(plan, par=gestionnaire, coach=nouveau)

    assert PlanAccompagnement.objects.get(pk=plan.pk).coach == nouveau
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["nouveau.coach@programme.test"], "[Relais] Vous accompagnez CCAS de Houplines")
    ]
    assert Evenement.objects.get(type=TypeEvenement.COACH_AFFECTE).donnees == {
        "avant": "coach@programme.test",
        "apres": "nouveau.coach@programme.test",
    }


def test_affecter_un_compte_sans_role_coach_est_refuse(plan, gestionnaire):
    with pytest.raises(DonneesRefusees):
        services.affecter_coach(plan, par=gestionnaire, coach=UtilisateurFactory())


def test_le_coach_ne_peut_pas_affecter_de_coach(plan, coach):
    with pytest.raises(ActionNonPermise):
        services.affecter_coach(plan, par=coach, coach=coach)


@pytest.mark.parametrize("source", EtatPlan.values)
def test_abandonner_un_plan_depuis_chaque_etat(plan, gestionnaire, source):
    PlanAccompagnement.objects.filter(pk=plan.pk).update(etat=source)
    ouvert = source in (EtatPlan.CADRAGE, EtatPlan.ACTIF, EtatPlan.CLOTURE_EN_COURS)

    if ouvert:
        services.abandonner_plan(plan, par=gestionnaire, motif="La structure se retire")
        assert PlanAccompagnement.objects.get(pk=plan.pk).etat == EtatPlan.ABANDONNE
    else:
        with pytest.raises(ActionImpossible):
            services.abandonner_plan(plan, par=gestionnaire, motif="La structure se retire")
        assert PlanAccompagnement.objects.get(pk=plan.pk).etat == source
