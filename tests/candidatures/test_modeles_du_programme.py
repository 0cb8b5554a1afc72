"""Les modèles d'un programme pour les candidatures : l'accusé de réception et la relance du
brouillon écrits par le programme sont ceux qui partent, avec leurs valeurs ; un autre
programme garde le texte par défaut."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from candidatures import notifications
from candidatures.relances import BROUILLON_AVANT_DATE_LIMITE
from messagerie import modeles
from messagerie.models import Message
from relances.services import balayer
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire], nom="Numérique en Flandre")


def _ecrire(programme, gestionnaire, code, sujet, corps):
    modele = modeles.modele_du_programme(programme, modeles.COURRIEL, code)
    modeles.enregistrer(programme, modele, {"sujet": sujet, "corps": corps}, par=gestionnaire)


def _deposee(structure, programme, titre):
    return CandidatureFactory(
        deposee=True,
        deposee_le=datetime.datetime(2026, 3, 12, 14, 30, tzinfo=PARIS),
        structure=structure,
        appel__programme=programme,
        appel__titre=titre,
    )


def test_l_accuse_de_reception_du_programme_est_celui_qui_part(
    programme, gestionnaire, structure, candidat
):
    _ecrire(
        programme,
        gestionnaire,
        "candidature_deposee",
        "{{ programme }} a reçu {{ reference }}{% if redepot %} (à nouveau){% endif %}",
        "{{ structure|upper }} : {{ appel }}, le {{ date_depot }} par {{ par_qui }}.\n{{ lien }}",
    )
    candidature = _deposee(structure, programme, "AMI 2026")
    candidat.first_name, candidat.last_name = "Inès", "Roy"
    candidat.save()

    notifications.candidature_deposee(candidature, par=candidat, redepot=True)

    message = Message.objects.get(type="candidature_deposee")
    assert (message.destinataire, message.sujet, message.corps_texte, message.corps_html) == (
        "ccas@houplines.test",
        f"Numérique en Flandre a reçu {candidature.reference} (à nouveau)",
        "CCAS DE HOUPLINES : AMI 2026, le 12 mars 2026 à 14:30 par Inès Roy.\n"
        f"http://testserver/candidatures/{candidature.pk}/",
        "",
    )
    assert message.pieces_a_produire == ["candidatures.recepisse.piece_jointe"]


def test_un_autre_programme_garde_l_accuse_de_reception_par_defaut(
    programme, gestionnaire, structure, candidat
):
    _ecrire(programme, gestionnaire, "candidature_deposee", "Reçu", "Reçu.")
    candidature = _deposee(structure, ProgrammeFactory(nom="Autre"), "AMI Autre")

    notifications.candidature_deposee(candidature, par=None)

    message = Message.objects.get(type="candidature_deposee")
    assert message.sujet == "[Relais] Candidature déposée : AMI Autre"
    assert message.corps_texte.startswith(
        "Bonjour,\n\nLa candidature de CCAS de Houplines à l'appel « AMI Autre » a bien été "
        "déposée le 12 mars 2026 à 14:30 par Relais.\n\n"
        f"Référence : {candidature.reference}\n"
    )
    assert message.corps_texte.endswith("\n\nL'équipe Relais\n")


def _brouillon(programme, email, titre):
    structure = StructureFactory(nom=f"CCAS {titre}", membres=[UtilisateurFactory(email=email)])
    appel = AppelFactory(
        programme=programme,
        ouvert=True,
        titre=titre,
        date_limite=datetime.datetime(2030, 3, 20, 12, 0, tzinfo=PARIS),
    )
    return CandidatureFactory(appel=appel, structure=structure)


def test_la_relance_du_brouillon_du_programme_est_celle_qui_part(programme, gestionnaire):
    _ecrire(
        programme,
        gestionnaire,
        "brouillon_date_limite",
        "{{ structure }} : J-{{ jours_restants }} ({{ appel }})",
        "Déposez avant le {{ date_limite }} : {{ lien }}\n{{ programme }}",
    )
    _brouillon(programme, "a@houplines.test", "AMI A")
    autre = _brouillon(ProgrammeFactory(nom="Autre"), "b@armentieres.test", "AMI B")

    balayer(datetime.datetime(2030, 3, 13, 9, tzinfo=PARIS), types=[BROUILLON_AVANT_DATE_LIMITE])

    du_programme, par_defaut = Message.objects.filter(
        type="relance_brouillon_date_limite"
    ).order_by("destinataire")
    assert (du_programme.destinataire, du_programme.sujet, du_programme.corps_texte) == (
        "a@houplines.test",
        "CCAS AMI A : J-7 (AMI A)",
        "Déposez avant le mercredi 20 mars 2030 à 12:00 : http://testserver/tableau-de-bord/\n"
        "Numérique en Flandre\n"
        "--\n"
        "Cette relance ne peut pas être désactivée. Elle rappelle la date limite de votre "
        "propre candidature : sans dépôt avant cette date, la candidature ne pourra pas être "
        "étudiée.\n",
    )
    assert du_programme.corps_html == ""
    assert (par_defaut.destinataire, par_defaut.sujet) == (
        "b@armentieres.test",
        f"[Relais] Plus que 7 jours pour déposer votre candidature « {autre.appel.titre} »",
    )
    assert "La date limite de dépôt est le mercredi 20 mars 2030 à 12:00." in (
        par_defaut.corps_texte
    )
