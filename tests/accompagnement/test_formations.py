import datetime
import re
import zlib

import pytest
from django.urls import reverse
from icalendar import Calendar

from accompagnement import attestations, services
from accompagnement.enums import EtatJalon, EtatPlan, TypeJalon
from accompagnement.models import Emargement, Jalon, PlanAccompagnement, SessionFormation
from accompagnement.signaux import emargements_enregistres
from noyau.erreurs import ActionImpossible, ActionNonPermise
from noyau.rendu_pdf import un_rendu_a_la_fois
from tests.accompagnement.factories import (
    ReferentFactory,
    SessionFactory,
    formation_de,
    plan_pour,
)
from tests.candidatures.factories import membre_de

pytestmark = pytest.mark.django_db

AUJOURD_HUI = datetime.date(2022, 12, 1)


@pytest.fixture
def deux_plans(plan, programme, coach):
    autre = plan_pour(coach=coach, appel=plan.candidature.appel, structure__nom="CCAS de Leers")
    return plan, autre


@pytest.fixture
def session(deux_plans, coach):
    plan, autre = deux_plans
    return SessionFactory(
        plans=[plan, autre],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=coach,
        date=datetime.date(2030, 1, 15),
    )


def test_inscrire_un_referent_envoie_sa_convocation_avec_le_fichier_ics(
    session, plan, membre, mailoutbox, taches_immediates, django_capture_on_commit_callbacks
):
    referent = ReferentFactory(
        structure=plan.structure, prenom="Amina", nom="Diallo", email="amina@houplines.test"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.inscrire_referent(session, referent, par=membre)
        services.inscrire_referent(session, referent, par=membre)

    assert session.inscriptions.count() == 1
    [courriel] = mailoutbox
    assert courriel.to == ["amina@houplines.test"]
    assert courriel.subject == (
        "[Relais] Convocation : Découvrir l'inclusion numérique : enjeux, diagnostic et "
        "acteurs, le mardi 15 janvier 2030"
    )
    [(nom, contenu, type_mime)] = courriel.attachments
    assert (nom, type_mime) == ("formation-2030-01-15.ics", "text/calendar")
    [evenement] = Calendar.from_ical(contenu).walk("VEVENT")
    assert str(evenement["summary"]) == (
        "Formation : Découvrir l'inclusion numérique : enjeux, diagnostic et acteurs"
    )
    assert evenement.decoded("dtstart").isoformat() == "2030-01-15T09:00:00+01:00"
    assert str(evenement["location"]) == "Maison des associations, Lille"


def test_une_structure_n_inscrit_pas_le_referent_d_une_autre(session, deux_plans, membre):
    _plan, autre = deux_plans
    referent_de_leers = ReferentFactory(structure=autre.structure)

    with pytest.raises(ActionNonPermise):
        services.inscrire_referent(session, referent_de_leers, par=membre)


def test_une_session_complete_refuse_l_inscription(session, plan, membre):
    session.capacite = 1
    session.save()
    premier, second = ReferentFactory.create_batch(2, structure=plan.structure)
    services.inscrire_referent(session, premier, par=membre)

    with pytest.raises(ActionImpossible):
        services.inscrire_referent(session, second, par=membre)


def _session_passee(session, referents, par):
    for referent in referents:
        services.inscrire_referent(session, referent, par=par)
    session.date = datetime.date(2022, 12, 6)
    session.save()
    return session


def test_la_presence_d_un_referent_complete_le_jalon_de_formation_de_sa_structure(
    session, deux_plans, membre, coach
):
    plan, autre = deux_plans
    present, absent = ReferentFactory.create_batch(2, structure=plan.structure)
    absent_de_leers = ReferentFactory(structure=autre.structure)
    membre_leers = membre_de(autre.structure)
    services.inscrire_referent(session, present, par=membre)
    services.inscrire_referent(session, absent, par=membre)
    services.inscrire_referent(session, absent_de_leers, par=membre_leers)
    session.date = datetime.date(2022, 12, 6)
    session.save()

    services.enregistrer_emargement(session, par=coach, presents=[present.pk])

    assert Jalon.objects.get(plan=plan, type=TypeJalon.FORMATION_1).etat == EtatJalon.FAIT
    assert Jalon.objects.get(plan=plan, type=TypeJalon.FORMATION_2).etat == EtatJalon.PREVU
    assert Jalon.objects.get(plan=autre, type=TypeJalon.FORMATION_1).etat == EtatJalon.PREVU
    assert sorted(
        Emargement.objects.filter(session=session).values_list("referent_id", "present")
    ) == sorted([(present.pk, True), (absent.pk, False), (absent_de_leers.pk, False)])
    # « Référents formés » du bilan : présents à au moins une session, par structure.
    assert list(
        Emargement.objects.filter(present=True, referent__structure=plan.structure)
        .values_list("referent", flat=True)
        .distinct()
    ) == [present.pk]


def test_une_feuille_corrigee_met_a_jour_ses_lignes_et_s_annonce_une_fois(
    session, plan, membre, coach
):
    premier, second = ReferentFactory.create_batch(2, structure=plan.structure)
    services.inscrire_referent(session, premier, par=membre)
    services.inscrire_referent(session, second, par=membre)
    session.date = datetime.date(2022, 12, 6)
    session.save()
    annonces = []

    def ecouter(sender, session, referents, **kwargs):
        annonces.append((sender, session.pk, referents))

    emargements_enregistres.connect(ecouter)
    try:
        services.enregistrer_emargement(session, par=coach, presents=[premier.pk])
        services.enregistrer_emargement(session, par=coach, presents=[second.pk])
    finally:
        emargements_enregistres.disconnect(ecouter)

    assert sorted(
        Emargement.objects.filter(session=session).values_list("referent_id", "present")
    ) == sorted([(premier.pk, False), (second.pk, True)])
    inscrits = sorted([premier.pk, second.pk])
    assert annonces == [(SessionFormation, session.pk, inscrits)] * 2


def test_l_emargement_est_refuse_avant_le_jour_de_la_session(session, plan, membre, coach):
    referent = ReferentFactory(structure=plan.structure)
    services.inscrire_referent(session, referent, par=membre)

    with pytest.raises(ActionImpossible):
        services.enregistrer_emargement(session, par=coach, presents=[referent.pk])


def test_seul_le_formateur_ou_le_gestionnaire_emarge(session, plan, membre):
    referent = ReferentFactory(structure=plan.structure)
    _session_passee(session, [referent], membre)

    with pytest.raises(ActionNonPermise):
        services.enregistrer_emargement(session, par=membre, presents=[referent.pk])


def _textes_du_pdf(pdf):
    """Les chaînes du PDF, flux décompressés compris (métadonnées du titre)."""
    morceaux = [pdf]
    for flux in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            morceaux.append(zlib.decompress(flux))
        except zlib.error:
            pass
    textes = []
    for morceau in morceaux:
        for hexa in re.findall(rb"<(?:FEFF|feff)([0-9A-Fa-f]+)>", morceau):
            textes.append(bytes.fromhex(hexa.decode()).decode("utf-16-be"))
        for brut in re.findall(rb"\(([^()]*)\)", morceau):
            textes.append(brut.decode("latin-1"))
    return "\n".join(textes)


def test_l_attestation_pdf_porte_le_nom_du_referent_et_la_date(session, plan, membre, coach):
    referent = ReferentFactory(structure=plan.structure, prenom="Amina", nom="Diallo")
    _session_passee(session, [referent], membre)
    services.enregistrer_emargement(session, par=coach, presents=[referent.pk])
    emargement = Emargement.objects.get(session=session, referent=referent)

    pdf = attestations.generer_pdf(emargement)

    assert pdf.startswith(b"%PDF-")
    assert "Attestation de présence — Amina Diallo — 6 décembre 2022" in _textes_du_pdf(pdf)
    assert "<strong>Amina Diallo</strong>" in attestations.html(emargement)
    assert "le <strong>mardi 6 décembre 2022</strong>" in attestations.html(emargement)


def test_attestation_telechargee_par_le_formateur(client, session, plan, membre, coach):
    referent = ReferentFactory(structure=plan.structure, prenom="Amina", nom="Diallo")
    _session_passee(session, [referent], membre)
    services.enregistrer_emargement(session, par=coach, presents=[referent.pk])
    client.force_login(coach)

    reponse = client.get(reverse("accompagnement:attestation", args=[session.pk, referent.pk]))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == (
        'attachment; filename="attestation-2022-12-06-diallo.pdf"'
    )


def test_une_seule_attestation_en_rendu_a_la_fois_par_personne(
    client, session, plan, membre, coach
):
    referent = ReferentFactory(structure=plan.structure, prenom="Amina", nom="Diallo")
    _session_passee(session, [referent], membre)
    services.enregistrer_emargement(session, par=coach, presents=[referent.pk])
    client.force_login(coach)
    adresse = reverse("accompagnement:attestation", args=[session.pk, referent.pk])

    # Pendant qu'un autre rendu de cette personne est en cours (une autre requête) :
    with un_rendu_a_la_fois(coach):
        pendant = client.get(adresse)
    apres = client.get(adresse)

    assert (pendant.status_code, pendant["Retry-After"]) == (429, "10")
    assert "Un autre PDF est déjà en préparation pour vous." in pendant.content.decode()
    assert (apres.status_code, apres.content[:5]) == (200, b"%PDF-")


def test_la_page_d_emargement_coche_les_presents(client, session, plan, membre, coach):
    referent = ReferentFactory(structure=plan.structure)
    _session_passee(session, [referent], membre)
    client.force_login(coach)

    reponse = client.post(
        reverse("accompagnement:emargement", args=[session.pk]), {"presents": [referent.pk]}
    )

    assert reponse.status_code == 302
    assert Emargement.objects.get(session=session, referent=referent).present is True


def test_emargement_trop_tot_donne_409(client, session, plan, membre, coach):
    referent = ReferentFactory(structure=plan.structure)
    services.inscrire_referent(session, referent, par=membre)
    client.force_login(coach)

    reponse = client.post(
        reverse("accompagnement:emargement", args=[session.pk]), {"presents": [referent.pk]}
    )

    assert reponse.status_code == 409
    assert "l&#x27;émargement se remplit ce jour-là" in reponse.text


# --- Kits, écosystème, comité ---------------------------------------------------------------


def test_remettre_tous_les_kits_complete_le_jalon_kits_une_fois(plan, coach):
    premier, *autres = plan.programme.kits.order_by("pk")

    services.remettre_kit(plan, par=coach, kit=premier, date=datetime.date(2023, 2, 2))
    services.remettre_kit(plan, par=coach, kit=premier, date=datetime.date(2023, 2, 9))
    assert plan.remises_kits.count() == 1
    assert Jalon.objects.get(plan=plan, type=TypeJalon.KITS).etat == EtatJalon.EN_COURS

    for kit in autres:
        services.remettre_kit(plan, par=coach, kit=kit, date=datetime.date(2023, 2, 9))

    assert plan.remises_kits.count() == 4
    assert Jalon.objects.get(plan=plan, type=TypeJalon.KITS).etat == EtatJalon.FAIT


def test_sensibilisation_complete_le_jalon_de_chaque_plan_present(deux_plans, gestionnaire):
    plan, autre = deux_plans

    services.enregistrer_sensibilisation(
        plan.programme,
        par=gestionnaire,
        plans=[plan],
        date=datetime.date(2023, 3, 2),
        lieu="Lille",
    )

    assert Jalon.objects.get(plan=plan, type=TypeJalon.ECOSYSTEME).etat == EtatJalon.FAIT
    assert Jalon.objects.get(plan=autre, type=TypeJalon.ECOSYSTEME).etat == EtatJalon.PREVU


def test_comite_de_cloture_date_les_jalons_puis_clot_les_plans(deux_plans, gestionnaire):
    plan, autre = deux_plans
    PlanAccompagnement.objects.filter(pk__in=[plan.pk, autre.pk]).update(etat=EtatPlan.ACTIF)

    comite = services.planifier_comite(
        plan.programme,
        par=gestionnaire,
        plans=[plan, autre],
        date=datetime.date(2023, 12, 14),
        lieu="Hôtel de la Métropole, Lille",
    )

    assert Jalon.objects.get(plan=plan, type=TypeJalon.COMITE_CLOTURE).echeance == datetime.date(
        2023, 12, 14
    )
    assert PlanAccompagnement.objects.get(pk=plan.pk).etat == EtatPlan.CLOTURE_EN_COURS

    services.enregistrer_compte_rendu(comite, par=gestionnaire, compte_rendu="Bilan présenté.")

    assert set(
        PlanAccompagnement.objects.filter(pk__in=[plan.pk, autre.pk]).values_list("etat", flat=True)
    ) == {EtatPlan.CLOS}
    assert set(
        Jalon.objects.filter(type=TypeJalon.COMITE_CLOTURE).values_list("etat", flat=True)
    ) == {EtatJalon.FAIT}
