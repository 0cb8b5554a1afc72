"""Les décalages qu'un gestionnaire règle sont ceux qui comptent, quels qu'ils soient : pour
chaque type de relance réglable, des valeurs inhabituelles saisies dans le formulaire de
réglage du programme, puis la tâche périodique de balayage, jour après jour."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.contrib.contenttypes.models import ContentType

from accompagnement.enums import EtatJalon, TypeJalon
from accompagnement.models import ComiteCloture, Jalon
from candidatures.models import Candidature
from journal.enums import TypeEvenement
from journal.models import Evenement
from relances.models import ReglageRelance, Relance
from relances.tasks import balayer
from tests.accompagnement.factories import (
    ReferentFactory,
    SessionFactory,
    formation_de,
    plan_pour,
)
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.evaluation.factories import AffectationFactory, JuryFactory, MembreJuryFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _le(mois, jour, heure=9, minute=0):
    return datetime.datetime(2030, mois, jour, heure, minute, tzinfo=PARIS)


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="chef@programme.test")


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire])


@pytest.fixture
def membre():
    return UtilisateurFactory(candidat=True, email="ccas@houplines.test")


def _regler(client, gestionnaire, programme, code, decalages, repetition=""):
    """Le gestionnaire règle ce type sur son programme par le formulaire, le reste inchangé."""
    url = f"/gestion/relances/reglages/programme/{programme.pk}/"
    client.force_login(gestionnaire)
    formulaire = client.get(url).context["form"]
    donnees = {
        nom: ("on" if champ.initial else "")
        if isinstance(champ, forms.BooleanField)
        else ("" if champ.initial is None else champ.initial)
        for nom, champ in formulaire.fields.items()
        if not champ.disabled
    }
    donnees[f"{code}-decalages"] = decalages
    donnees[f"{code}-repetition"] = repetition
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302, reponse.context["form"].errors
    reglage = ReglageRelance.objects.get(type_code=code)
    return reglage.decalages, reglage.repetition_jours


def _balayer_les(*jours):
    for mois, jour in jours:
        with time_machine.travel(_le(mois, jour), tick=False):
            balayer.apply()


def _decalages(code):
    """[(décalage, jour du balayage qui l'a créée)] : dues à leur jour, pas rattrapées après."""
    return sorted(
        {
            (decalage, (creee_le.astimezone(PARIS).month, creee_le.astimezone(PARIS).day))
            for decalage, creee_le in Relance.objects.filter(type_code=code).values_list(
                "decalage", "creee_le"
            )
        }
    )


def _jalon_seul(plan, echeance):
    jalon = plan.jalons.get(type=TypeJalon.KITS)
    Jalon.objects.filter(plan=plan).exclude(pk=jalon.pk).update(etat=EtatJalon.FAIT)
    Jalon.objects.filter(pk=jalon.pk).update(echeance=echeance)
    return jalon


def test_jalon_en_retard_relance_trois_jours_apres_puis_tous_les_dix_jours(
    client, gestionnaire, programme, membre
):
    plan = plan_pour(appel__programme=programme, structure__membres=[membre])
    _jalon_seul(plan, datetime.date(2030, 3, 1))
    with time_machine.travel(_le(3, 1), tick=False):
        assert _regler(client, gestionnaire, programme, "jalon_en_retard", "3", "10") == ([3], 10)

    _balayer_les((3, 3), (3, 4), (3, 5), (3, 13), (3, 14), (3, 24), (3, 25))

    assert _decalages("jalon_en_retard") == [(3, (3, 4)), (13, (3, 14)), (23, (3, 24))]


def test_jalon_a_echeance_proche_quatorze_jours_avant(client, gestionnaire, programme, membre):
    plan = plan_pour(appel__programme=programme, structure__membres=[membre])
    _jalon_seul(plan, datetime.date(2030, 3, 24))
    with time_machine.travel(_le(3, 1), tick=False):
        _regler(client, gestionnaire, programme, "jalon_echeance_proche", "-14")

    _balayer_les((3, 9), (3, 10), (3, 11), (3, 17), (3, 24))

    assert list(
        Relance.objects.filter(type_code="jalon_echeance_proche").values_list(
            "decalage", "destinataire__email", "creee_le__date"
        )
    ) == [(-14, "ccas@houplines.test", datetime.date(2030, 3, 10))]


def test_brouillon_relance_quatre_vingts_jours_avant_la_date_limite(
    client, gestionnaire, programme, membre
):
    CandidatureFactory(
        appel=AppelFactory(programme=programme, ouvert=True, date_limite=_le(5, 29, 12)),
        structure=StructureFactory(membres=[membre]),
    )
    with time_machine.travel(_le(3, 1), tick=False):
        _regler(client, gestionnaire, programme, "brouillon_date_limite", "-80, -10")

    _balayer_les((3, 9), (3, 10), (3, 11), (5, 19), (5, 28), (5, 29))

    assert _decalages("brouillon_date_limite") == [(-80, (3, 10)), (-10, (5, 19))]


def test_convocation_rappelee_trente_jours_puis_deux_jours_avant(
    client, gestionnaire, programme, membre
):
    plan = plan_pour(appel__programme=programme, structure__membres=[membre])
    with time_machine.travel(_le(2, 1), tick=False):
        session = SessionFactory(
            plans=[plan],
            formation=formation_de(plan, TypeJalon.FORMATION_1),
            date=datetime.date(2030, 4, 9),
        )
        session.inscriptions.create(referent=ReferentFactory(structure=plan.structure))
        _regler(client, gestionnaire, programme, "convocation_formation", "-30, -2")

    _balayer_les((3, 9), (3, 10), (3, 11), (4, 2), (4, 7), (4, 8), (4, 9))

    assert _decalages("convocation_formation") == [(-30, (3, 10)), (-2, (4, 7))]


def test_comite_de_cloture_annonce_quarante_cinq_jours_avant(
    client, gestionnaire, programme, membre
):
    ComiteCloture.objects.create(programme=programme, date=datetime.date(2030, 4, 24), lieu="Lille")
    with time_machine.travel(_le(3, 1), tick=False):
        _regler(client, gestionnaire, programme, "invitation_comite_cloture", "-45, -3")

    _balayer_les((3, 10), (3, 11), (4, 3), (4, 21))

    assert _decalages("invitation_comite_cloture") == [(-45, (3, 10)), (-3, (4, 21))]
    assert set(
        Relance.objects.filter(type_code="invitation_comite_cloture").values_list(
            "destinataire__email", flat=True
        )
    ) == {"chef@programme.test"}


def test_complement_relance_deux_jours_apres_puis_tous_les_trois_jours(
    client, gestionnaire, programme, membre
):
    candidature = CandidatureFactory(
        appel__programme=programme,
        structure=StructureFactory(membres=[membre]),
        a_completer=True,
    )
    Evenement.objects.create(
        type=TypeEvenement.CHANGEMENT_ETAT,
        cible_type=ContentType.objects.get_for_model(Candidature),
        cible_id=candidature.pk,
        depuis="deposee",
        vers="a_completer",
        transition="demander_complement",
        survenu_le=_le(3, 8, 16),
    )
    with time_machine.travel(_le(3, 1), tick=False):
        _regler(client, gestionnaire, programme, "complement_sans_reponse", "2", "3")

    _balayer_les((3, 9), (3, 10), (3, 11), (3, 13), (3, 16))

    assert _decalages("complement_sans_reponse") == [(2, (3, 10)), (5, (3, 13)), (8, (3, 16))]


def test_candidatures_a_instruire_annoncees_cinq_jours_apres_la_cloture(
    client, gestionnaire, programme
):
    appel = AppelFactory(programme=programme, clos=True)
    appel.clos_le = _le(3, 5, 23, 30)
    appel.save(update_fields=["clos_le"])
    CandidatureFactory(appel=appel, deposee=True)
    with time_machine.travel(_le(3, 1), tick=False):
        _regler(client, gestionnaire, programme, "candidatures_a_instruire", "5")

    _balayer_les((3, 6), (3, 9), (3, 10), (3, 11))

    assert list(
        Relance.objects.filter(type_code="candidatures_a_instruire").values_list(
            "decalage", "creee_le__date"
        )
    ) == [(5, datetime.date(2030, 3, 10))]


def test_jury_avis_d_affectation_deux_jours_apres_puis_notes_dix_jours_avant_la_limite(
    client, gestionnaire, programme
):
    jury = JuryFactory(appel__programme=programme, date_limite_notation=_le(3, 20, 18))
    with time_machine.travel(_le(3, 8, 11), tick=False):
        AffectationFactory(membre=MembreJuryFactory(jury=jury))
    with time_machine.travel(_le(3, 1), tick=False):
        _regler(client, gestionnaire, programme, "jury_affectation", "2")
        _regler(client, gestionnaire, programme, "jury_date_limite_notation", "-10")

    _balayer_les((3, 8), (3, 9), (3, 10), (3, 11), (3, 17), (3, 19))

    assert _decalages("jury_affectation") == [(2, (3, 10))]
    assert _decalages("jury_date_limite_notation") == [(-10, (3, 10))]
