import datetime
from zoneinfo import ZoneInfo

import pytest

from accompagnement.enums import EtatJalon, TypeJalon
from accompagnement.models import Jalon
from accompagnement.relances import JALON_EN_RETARD, _jalons_en_retard
from relances.models import Relance
from relances.registre import Fenetre
from relances.services import balayer
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _a(annee, mois, jour):
    return datetime.datetime(annee, mois, jour, 9, 0, tzinfo=PARIS)


def _relances(type_code):
    return sorted(
        Relance.objects.filter(type_code=type_code).values_list(
            "objet_id", "decalage", "destinataire__email"
        )
    )


def test_jalon_a_echeance_dans_sept_jours_relance_coach_et_structure_une_fois(
    plan, mailoutbox, taches_immediates, django_capture_on_commit_callbacks
):
    kits = plan.jalons.get(type=TypeJalon.KITS)  # échéance le 3 février 2023
    Jalon.objects.filter(plan=plan).exclude(pk=kits.pk).update(etat=EtatJalon.FAIT)

    with django_capture_on_commit_callbacks(execute=True):
        balayer(_a(2023, 1, 27))
    with django_capture_on_commit_callbacks(execute=True):
        balayer(_a(2023, 1, 28))

    assert _relances("jalon_echeance_proche") == [
        (kits.pk, -7, "ccas@houplines.test"),
        (kits.pk, -7, "coach@programme.test"),
    ]
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        (
            "ccas@houplines.test",
            "[Relais] CCAS de Houplines : « Remise des kits d'ateliers » à faire d'ici le 3 "
            "février",
        ),
        (
            "coach@programme.test",
            "[Relais] CCAS de Houplines : « Remise des kits d'ateliers » à faire d'ici le 3 "
            "février",
        ),
    ]


def test_jalon_en_retard_relance_le_lendemain_puis_chaque_semaine(plan):
    kits = plan.jalons.get(type=TypeJalon.KITS)
    Jalon.objects.filter(plan=plan).exclude(pk=kits.pk).update(etat=EtatJalon.FAIT)

    for jour in range(4, 20):
        balayer(_a(2023, 2, jour))

    assert [d for _o, d, e in _relances("jalon_en_retard") if e == "coach@programme.test"] == [
        1,
        8,
        15,
    ]


def test_jalon_fait_n_est_plus_relance(plan):
    Jalon.objects.filter(plan=plan).update(etat=EtatJalon.FAIT)

    balayer(_a(2023, 2, 4))

    assert Relance.objects.count() == 0


def test_le_selecteur_du_retard_ne_lit_que_les_echeances_dues_ce_jour(plan):
    Jalon.objects.filter(plan=plan).update(echeance=datetime.date(2023, 2, 3))
    Jalon.objects.filter(plan=plan, type=TypeJalon.KITS).update(echeance=datetime.date(2023, 1, 30))

    def en_retard_le(jour):
        fenetre = Fenetre.pour(
            datetime.date(2023, 2, jour),
            [(JALON_EN_RETARD.decalages, JALON_EN_RETARD.repetition_jours)],
        )
        return {j.type for j in _jalons_en_retard(_a(2023, 2, jour), fenetre)}

    # Kits : échu le 30 janvier, dû le 31 puis le 7 février (et trois jours de rattrapage).
    assert TypeJalon.KITS not in en_retard_le(4)
    assert TypeJalon.KITS not in en_retard_le(6)
    assert TypeJalon.KITS in en_retard_le(7)
    assert TypeJalon.KITS in en_retard_le(8)
    assert len(en_retard_le(4)) == 9


def test_convocation_rappelee_a_j_moins_7_et_j_moins_1_a_la_structure(plan, membre, coach):
    session = SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=coach,
        date=datetime.date(2030, 1, 15),
    )
    referent = ReferentFactory(structure=plan.structure)
    session.inscriptions.create(referent=referent)
    inscription = session.inscriptions.get()

    balayer(_a(2030, 1, 8))
    balayer(_a(2030, 1, 9))
    balayer(_a(2030, 1, 14))

    assert _relances("convocation_formation") == [
        (inscription.pk, -7, "ccas@houplines.test"),
        (inscription.pk, -1, "ccas@houplines.test"),
    ]
