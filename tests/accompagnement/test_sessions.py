"""Les sessions de formation comme gestionnaire, structure et coach les vivent : horaires
vérifiés, convocation et flux ICS avec leur fuseau, désinscription avant la session,
attestation de présence."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from accompagnement import calendrier, services
from accompagnement.enums import TypeJalon
from accompagnement.models import Inscription, SessionFormation
from journal.enums import TypeEvenement
from journal.models import Evenement
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(plan, coach):
    return SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=coach,
        date=datetime.date(2030, 1, 15),
    )


@pytest.fixture
def referent(plan):
    return ReferentFactory(
        structure=plan.structure, prenom="Amina", nom="Diallo", email="amina@houplines.test"
    )


# --- Horaires ------------------------------------------------------------------------------


def _donnees_session(plan, **autres):
    return {
        "formation": formation_de(plan, TypeJalon.FORMATION_1).pk,
        "date": "2030-01-15",
        "heure_debut": "09:00",
        "heure_fin": "17:00",
        "lieu": "Maison des associations, Lille",
        "formateur": plan.coach.pk,
        "capacite": "12",
        "plans": [plan.pk],
        **autres,
    }


def test_une_session_qui_finit_avant_de_commencer_est_refusee_pres_du_champ(
    client, plan, gestionnaire
):
    client.force_login(gestionnaire)
    adresse = reverse("accompagnement:gestion_session_nouvelle", args=[plan.programme.pk])

    reponse = client.post(adresse, _donnees_session(plan, heure_debut="17:00", heure_fin="09:00"))

    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {
        "heure_fin": ["La fin (09:00) doit venir après le début (17:00)."]
    }
    assert 'value="17:00"' in reponse.text and 'value="09:00"' in reponse.text
    assert SessionFormation.objects.count() == 0


def test_une_session_aux_horaires_dans_l_ordre_est_creee(client, plan, gestionnaire):
    client.force_login(gestionnaire)
    adresse = reverse("accompagnement:gestion_session_nouvelle", args=[plan.programme.pk])

    reponse = client.post(adresse, _donnees_session(plan))

    assert reponse.status_code == 302
    session = SessionFormation.objects.get()
    assert (session.heure_debut, session.heure_fin) == (datetime.time(9), datetime.time(17))


# --- ICS ------------------------------------------------------------------------------------


def _verifier_fuseau(contenu):
    ics = Calendar.from_ical(contenu)
    [fuseau] = ics.walk("VTIMEZONE")
    assert str(fuseau["tzid"]) == "Europe/Paris"
    assert {c.name for c in fuseau.subcomponents} == {"STANDARD", "DAYLIGHT"}
    return ics


def test_la_convocation_ics_porte_le_fuseau_europe_paris(
    client,
    session,
    plan,
    membre,
    referent,
    mailoutbox,
    taches_immediates,
    django_capture_on_commit_callbacks,
):
    client.force_login(membre)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("accompagnement:inscrire", args=[session.pk]), {"referent": referent.pk}
        )

    assert reponse.status_code == 302
    [courriel] = mailoutbox
    [(_nom, contenu, _type)] = courriel.attachments
    texte = contenu.decode() if isinstance(contenu, bytes) else contenu
    assert "DTSTART;TZID=Europe/Paris:20300115T090000" in texte
    assert "DTEND;TZID=Europe/Paris:20300115T170000" in texte
    [evenement] = _verifier_fuseau(contenu).walk("VEVENT")
    assert evenement.decoded("dtend").isoformat() == "2030-01-15T17:00:00+01:00"


def test_le_flux_ics_porte_le_fuseau_europe_paris(client, session, membre):
    reponse = client.get(calendrier.adresse_du_flux(membre, absolue=False))

    assert reponse.status_code == 200
    assert "DTSTART;TZID=Europe/Paris:20300115T090000" in reponse.content.decode()
    _verifier_fuseau(reponse.content)


# --- Désinscription -------------------------------------------------------------------------


def _desinscrire(client, session, referent):
    return client.post(
        reverse("accompagnement:desinscrire", args=[session.pk]),
        {"referent": referent.pk, "retour": reverse("accompagnement:sessions")},
    )


@pytest.mark.parametrize("qui", ["membre", "coach", "gestionnaire"])
def test_structure_coach_et_gestionnaire_desinscrivent_avant_la_session(
    client, session, plan, membre, referent, request, qui
):
    services.inscrire_referent(session, referent, par=membre)
    personne = request.getfixturevalue(qui)
    client.force_login(personne)

    reponse = _desinscrire(client, session, referent)

    assert reponse.status_code == 302
    assert Inscription.objects.filter(session=session).count() == 0
    [evenement] = Evenement.objects.filter(type=TypeEvenement.REFERENT_DESINSCRIT)
    assert (evenement.acteur, evenement.donnees) == (personne, {"referent": referent.pk})
    page = client.get(reponse["Location"]).text
    assert "Amina Diallo est désinscrit·e de la session du 15 janvier 2030." in page


def test_la_page_des_referents_propose_de_desinscrire(client, session, plan, membre, referent):
    services.inscrire_referent(session, referent, par=membre)
    client.force_login(membre)

    page = client.get(reverse("accompagnement:referents", args=[plan.pk])).text

    assert 'Désinscrire<span class="visually-hidden"> Amina Diallo le 15 janvier' in page


def test_la_desinscription_est_refusee_une_fois_la_session_commencee(
    client, session, plan, membre, referent
):
    services.inscrire_referent(session, referent, par=membre)
    maintenant = timezone.localtime()
    SessionFormation.objects.filter(pk=session.pk).update(
        date=maintenant.date(), heure_debut=(maintenant - datetime.timedelta(minutes=1)).time()
    )
    client.force_login(membre)

    reponse = _desinscrire(client, session, referent)

    assert reponse.status_code == 409
    assert "La session a commencé : on ne peut plus s&#x27;en désinscrire." in reponse.text
    assert Inscription.objects.filter(session=session).count() == 1
    assert not Evenement.objects.filter(type=TypeEvenement.REFERENT_DESINSCRIT).exists()


def test_une_autre_structure_ne_desinscrit_pas_un_referent(client, session, membre, referent):
    services.inscrire_referent(session, referent, par=membre)
    client.force_login(UtilisateurFactory(candidat=True))

    reponse = _desinscrire(client, session, referent)

    assert reponse.status_code == 404
    assert Inscription.objects.filter(session=session).count() == 1


# --- Attestation ----------------------------------------------------------------------------


def test_l_attestation_nomme_le_lieu_et_porte_un_bloc_de_signature(
    client, session, plan, membre, coach, referent
):
    coach.last_name = "Martin"
    coach.save()
    services.inscrire_referent(session, referent, par=membre)
    SessionFormation.objects.filter(pk=session.pk).update(date=datetime.date(2022, 12, 6))
    services.enregistrer_emargement(session, par=coach, presents=[referent.pk])
    client.force_login(membre)

    reponse = client.get(reverse("accompagnement:attestation", args=[session.pk, referent.pk]))

    assert reponse.status_code == 200
    texte = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(reponse.content)).pages
    ).replace("\n", " ")
    assert "Lieu : Maison des associations, Lille." in texte
    assert "à Maison" not in texte
    assert f"Pour le programme « {plan.programme.nom} »" in texte
    assert "Chloé Martin, formateur ou formatrice de la session" in texte
    assert "Signature :" in texte
