"""Un seul catalogue de ce que Relais envoie : les préférences et le désabonnement valent pour
toute notification non essentielle, pas seulement pour les relances ; le réglage des relances
d'un gestionnaire est vérifié par le service et journalisé ; la messagerie, en bas des couches,
ne connaît ni les comptes ni les relances."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from aap.celery import app
from accompagnement import notifications as notifications_accompagnement
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie.catalogue import courriel, courriels
from messagerie.models import Message
from noyau.erreurs import ActionNonPermise, DonneesRefusees
from relances import services
from relances.models import PreferencesRelances, ReglageRelance
from tests.accompagnement.factories import plan_pour
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach():
    return UtilisateurFactory(coach=True, email="coach@programme.test")


def test_une_notification_non_essentielle_se_regle_et_se_refuse_comme_une_relance(client, coach):
    plan = plan_pour(coach=coach)
    Message.objects.all().delete()

    notifications_accompagnement.coach_affecte(plan)
    assert list(Message.objects.values_list("type", "destinataire")) == [
        ("accompagnement_coach_affecte", "coach@programme.test")
    ]

    client.force_login(coach)
    assert 'name="type_accompagnement_coach_affecte"' in client.get("/compte/relances/").text
    # Un courriel essentiel n'y est pas proposé.
    assert 'name="type_decision_jury"' not in client.get("/compte/relances/").text

    client.logout()
    chemin = services.lien_desabonnement(coach, "accompagnement_coach_affecte")
    assert client.post(chemin).status_code == 200
    assert PreferencesRelances.objects.get(utilisateur=coach).types_desactives == [
        "accompagnement_coach_affecte"
    ]

    Message.objects.all().delete()
    notifications_accompagnement.coach_affecte(plan)
    assert not Message.objects.exists()

    # Un autre coach, qui n'a rien refusé, le reçoit toujours.
    autre = UtilisateurFactory(coach=True, email="autre-coach@programme.test")
    plan.coach = autre
    notifications_accompagnement.coach_affecte(plan)
    assert list(Message.objects.values_list("destinataire", flat=True)) == [
        "autre-coach@programme.test"
    ]


def test_la_page_de_preferences_decoche_aussi_les_notifications(client, coach):
    client.force_login(coach)
    reponse = client.post("/compte/relances/", {"resume_quotidien": "on"})
    assert reponse.status_code == 302
    desactives = PreferencesRelances.objects.get(utilisateur=coach).types_desactives
    assert {"accompagnement_coach_affecte", "laureat_retire", "invitation_sans_reponse"} <= set(
        desactives
    )
    assert not {c.code for c in courriels() if c.essentiel} & set(desactives)


def test_un_courriel_essentiel_ou_inconnu_ne_se_desactive_pas(client, coach):
    with pytest.raises(DonneesRefusees):
        services.desactiver(coach, "brouillon_date_limite")
    with pytest.raises(KeyError):
        services.desactiver(coach, "decision_jury")
    chemin = services.lien_desabonnement(coach, "decision_jury")
    assert client.post(chemin).status_code == 400
    assert not PreferencesRelances.objects.filter(utilisateur=coach).exclude(types_desactives=[])


@pytest.fixture
def appel():
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="chef@programme.test")
    return AppelFactory(programme=ProgrammeFactory(gestionnaires=[gestionnaire]))


def _chef(appel):
    return appel.programme.gestionnaires.get()


def test_regler_les_relances_est_journalise(appel):
    services.regler_relances(
        appel, {"brouillon_date_limite": (True, [-10, -2], None)}, par=_chef(appel)
    )

    reglage = ReglageRelance.objects.get()
    assert (reglage.type_code, reglage.portee, reglage.decalages) == (
        "brouillon_date_limite",
        appel,
        [-10, -2],
    )
    evenement = Evenement.objects.get(type=TypeEvenement.RELANCES_REGLEES)
    assert (evenement.cible, evenement.acteur) == (appel, _chef(appel))
    assert evenement.donnees["reglages"]["brouillon_date_limite"]["decalages"] == [-10, -2]

    # Revenir aux valeurs par défaut retire le réglage, et se journalise aussi ; ne rien changer
    # ne journalise rien.
    services.regler_relances(
        appel, {"brouillon_date_limite": (True, [-7, -1], None)}, par=_chef(appel)
    )
    services.regler_relances(
        appel, {"brouillon_date_limite": (True, [-7, -1], None)}, par=_chef(appel)
    )
    assert not ReglageRelance.objects.exists()
    assert Evenement.objects.filter(type=TypeEvenement.RELANCES_REGLEES).count() == 2


def test_regler_les_relances_est_refuse_a_qui_ne_gere_pas_l_appel(appel):
    autre = UtilisateurFactory(gestionnaire=True, email="autre@programme.test")
    ProgrammeFactory(gestionnaires=[autre])
    with pytest.raises(ActionNonPermise):
        services.regler_relances(appel, {"brouillon_date_limite": (True, [-3], None)}, par=autre)
    assert not ReglageRelance.objects.exists()


@pytest.mark.parametrize(
    "reglage",
    [
        {"jalon_echeance_proche": (True, [-3], None)},  # se règle sur le programme seulement
        {"inconnue": (True, [-3], None)},
        {"brouillon_date_limite": (False, [-7, -1], None)},  # essentielle
        {"brouillon_date_limite": (True, [], None)},
        {"brouillon_date_limite": (True, [-400], None)},
    ],
)
def test_un_reglage_hors_des_regles_est_refuse_par_le_service(appel, reglage):
    with pytest.raises(DonneesRefusees):
        services.regler_relances(appel, reglage, par=_chef(appel))
    assert not ReglageRelance.objects.exists()
    assert not Evenement.objects.filter(type=TypeEvenement.RELANCES_REGLEES).exists()


def test_chaque_courriel_est_declare_une_fois_et_chaque_date_a_un_moteur():
    codes = [c.code for c in courriels()]
    assert len(codes) == len(set(codes))
    assert courriel("accompagnement_rappel_convocation").echeance is not None
    assert courriel("compte_password_reset_key").essentiel
    assert "accompagnement-rappeler-convocations" not in _taches_planifiees()


def _taches_planifiees():
    return app.conf.beat_schedule


def test_la_messagerie_n_importe_ni_les_comptes_ni_les_relances():
    importes = set()
    for fichier in (Path(settings.BASE_DIR) / "messagerie").rglob("*.py"):
        for noeud in ast.walk(ast.parse(fichier.read_text())):
            if isinstance(noeud, ast.ImportFrom) and noeud.module:
                importes.add(noeud.module.split(".")[0])
            elif isinstance(noeud, ast.Import):
                importes.update(alias.name.split(".")[0] for alias in noeud.names)
    assert not importes & {"comptes", "relances", "candidatures", "accompagnement"}
