"""La désinscription d'un référent lui écrit, avec un fichier ICS qui retire de son agenda
l'événement de sa convocation ; une nouvelle inscription le fait réapparaître."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar

from accompagnement import notifications, services
from accompagnement.enums import TypeJalon
from messagerie.models import Message
from noyau.erreurs import ActionImpossible
from relances.services import balayer as rappeler_convocations
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def session(plan, coach):
    return SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=coach,
        date=datetime.date(2030, 1, 15),
        lieu="Maison des associations, Lille",
    )


@pytest.fixture
def referent(plan):
    return ReferentFactory(
        structure=plan.structure, prenom="Amina", nom="Diallo", email="amina@houplines.test"
    )


@pytest.fixture
def envoi(mailoutbox, taches_immediates, django_capture_on_commit_callbacks):
    """Exécute une action et rend les courriels qu'elle a fait partir."""

    def executer(action):
        avant = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return mailoutbox[avant:]

    return executer


def _evenement(contenu):
    ics = Calendar.from_ical(contenu)
    [fuseau] = ics.walk("VTIMEZONE")
    assert str(fuseau["tzid"]) == "Europe/Paris"
    [evenement] = ics.walk("VEVENT")
    return ics, evenement


def _ics(courriel):
    [piece] = courriel.attachments
    return piece


def _desinscrire(client, session, referent):
    return client.post(
        reverse("accompagnement:desinscrire", args=[session.pk]),
        {"referent": referent.pk, "retour": reverse("accompagnement:sessions")},
    )


def test_la_desinscription_envoie_au_referent_l_annulation_de_l_evenement(
    client, session, membre, referent, envoi
):
    [convocation] = envoi(lambda: services.inscrire_referent(session, referent, par=membre))
    _, evenement_convoque = _evenement(_ics(convocation).content)
    client.force_login(membre)

    [courriel] = envoi(lambda: _desinscrire(client, session, referent))

    assert courriel.to == ["amina@houplines.test"]
    assert courriel.subject == (
        "[Relais] Désinscription : Découvrir l'inclusion numérique : enjeux, diagnostic et "
        "acteurs, le mardi 15 janvier 2030"
    )
    assert courriel.body.startswith("Bonjour Amina Diallo,\n\nVotre inscription à la formation")
    assert "Date : mardi 15 janvier 2030, de 09:00 à 17:00" in courriel.body
    assert "Le fichier joint retire la session de votre agenda." in courriel.body
    piece = _ics(courriel)
    assert (piece.filename, piece.mimetype) == (
        "formation-2030-01-15-annulation.ics",
        "text/calendar; method=CANCEL",
    )
    [partie] = [p for p in courriel.message().walk() if p.get_filename()]
    assert partie.get_content_type() == "text/calendar"
    assert partie.get_param("method") == "CANCEL"
    ics, evenement = _evenement(piece.content)
    assert str(ics["method"]) == "CANCEL"
    assert str(evenement["uid"]) == str(evenement_convoque["uid"])
    assert str(evenement["status"]) == "CANCELLED"
    assert (evenement_convoque.decoded("sequence"), evenement.decoded("sequence")) == (0, 1)
    debut, fin = evenement.decoded("dtstart"), evenement.decoded("dtend")
    assert (debut, fin) == (
        datetime.datetime(2030, 1, 15, 9, tzinfo=PARIS),
        datetime.datetime(2030, 1, 15, 17, tzinfo=PARIS),
    )
    assert (debut, fin) == (
        evenement_convoque.decoded("dtstart"),
        evenement_convoque.decoded("dtend"),
    )
    assert str(debut.tzinfo) == "Europe/Paris"
    assert str(evenement["attendee"]) == "mailto:amina@houplines.test"
    assert str(evenement["organizer"]) == str(evenement_convoque["organizer"])


def test_l_uid_de_l_evenement_est_celui_de_l_inscription_et_les_rappels_le_reprennent(
    session, membre, referent, envoi
):
    [convocation] = envoi(lambda: services.inscrire_referent(session, referent, par=membre))
    inscription = session.inscriptions.get()
    inscription.inscrit_le = datetime.datetime(2029, 12, 1, 9, tzinfo=PARIS)
    inscription.save()

    rappeler_convocations(datetime.datetime(2030, 1, 8, 9, tzinfo=PARIS))

    rappel = Message.objects.get(cle=f"convocation:{inscription.pk}:J-7")
    [piece] = rappel.pieces_jointes.all()
    _, evenement_rappel = _evenement(bytes(piece.contenu))
    _, evenement_convoque = _evenement(_ics(convocation).content)
    uid = f"session-{session.pk}-inscription-{inscription.pk}@relais"
    assert str(evenement_convoque["uid"]) == str(evenement_rappel["uid"]) == uid
    assert evenement_rappel.decoded("sequence") == 0


def test_deux_referents_de_la_meme_session_ont_deux_evenements(
    session, plan, membre, referent, envoi
):
    autre = ReferentFactory(structure=plan.structure, email="theo@houplines.test")
    courriels = envoi(
        lambda: [services.inscrire_referent(session, r, par=membre) for r in (referent, autre)]
    )

    uids = {str(_evenement(_ics(c).content)[1]["uid"]) for c in courriels}
    assert len(uids) == 2


def test_l_annulation_ne_part_qu_une_fois(session, membre, referent, envoi):
    envoi(lambda: services.inscrire_referent(session, referent, par=membre))
    inscription = session.inscriptions.select_related("referent", "session").get()

    def deux_fois():
        with transaction.atomic():
            notifications.desinscription(inscription)
            notifications.desinscription(inscription)

    courriels = envoi(deux_fois)
    courriels += envoi(lambda: services.desinscrire_referent(session, referent, par=membre))
    with pytest.raises(ActionImpossible):
        services.desinscrire_referent(session, referent, par=membre)

    assert [c.to for c in courriels] == [["amina@houplines.test"]]
    [message] = Message.objects.filter(type="accompagnement_desinscription")
    assert message.cle == f"desinscription:{inscription.pk}"
    assert message.programme_id == session.formation.programme_id


def test_une_nouvelle_inscription_remet_la_session_dans_l_agenda(session, membre, referent, envoi):
    [premiere] = envoi(lambda: services.inscrire_referent(session, referent, par=membre))
    [annulation] = envoi(lambda: services.desinscrire_referent(session, referent, par=membre))

    [seconde] = envoi(lambda: services.inscrire_referent(session, referent, par=membre))

    assert seconde.subject == premiere.subject
    assert _ics(seconde).mimetype == "text/calendar"
    ics, evenement = _evenement(_ics(seconde).content)
    _, annule = _evenement(_ics(annulation).content)
    _, ancien = _evenement(_ics(premiere).content)
    # Un autre événement que celui annulé : l'annulation reçue plus tôt ne le retire pas.
    assert str(evenement["uid"]) != str(annule["uid"]) == str(ancien["uid"])
    assert str(evenement["uid"]) == (
        f"session-{session.pk}-inscription-{session.inscriptions.get().pk}@relais"
    )
    assert "method" not in ics and "status" not in evenement
    assert evenement.decoded("dtstart") == datetime.datetime(2030, 1, 15, 9, tzinfo=PARIS)


def test_la_page_annonce_le_courriel_d_annulation(client, session, plan, membre, referent):
    services.inscrire_referent(session, referent, par=membre)
    client.force_login(membre)

    page = client.get(reverse("accompagnement:referents", args=[plan.pk])).text
    assert (
        '<p id="aide-desinscription">Un référent désinscrit reçoit un courriel d\'annulation :'
        " le fichier joint retire la session de son agenda.</p>"
    ) in page
    assert 'aria-describedby="aide-desinscription"' in page

    reponse = _desinscrire(client, session, referent)
    page = client.get(reponse["Location"]).text
    assert (
        "Amina Diallo est désinscrit·e de la session du 15 janvier 2030. Le courriel "
        "d&#x27;annulation, avec le fichier qui retire la session de son agenda, part à "
        "amina@houplines.test."
    ) in page
