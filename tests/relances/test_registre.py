from datetime import date

import pytest

from relances.registre import decalage_du

REF = date(2026, 3, 31)


@pytest.mark.parametrize(
    "aujourd_hui, attendu",
    [
        (date(2026, 3, 23), None),  # J-8 : rien encore
        (date(2026, 3, 24), -7),
        (date(2026, 3, 29), -7),
        (date(2026, 3, 30), -1),
        # J0 : une relance d'avant la date ne part plus le jour même (ni après), même manquée.
        (date(2026, 3, 31), None),
        (date(2026, 4, 1), None),
    ],
)
def test_decalage_du_avant_la_date(aujourd_hui, attendu):
    assert decalage_du(REF, aujourd_hui, (-7, -1)) == attendu


@pytest.mark.parametrize(
    "aujourd_hui, attendu",
    [
        (date(2026, 4, 6), None),
        (date(2026, 4, 7), 7),
        (date(2026, 4, 10), 7),  # rattrapage : trois jours après le sien
        (date(2026, 4, 11), None),
        (date(2026, 4, 13), None),
        (date(2026, 4, 14), 14),
        (date(2026, 4, 28), 28),
    ],
)
def test_decalage_du_repete_tous_les_sept_jours_en_retard(aujourd_hui, attendu):
    assert decalage_du(REF, aujourd_hui, (7,), repetition_jours=7) == attendu


def test_une_relance_dont_le_jour_precede_l_objet_n_est_pas_due():
    # Inscription le 28 mars pour le 31 : pas de J-7 (son jour était le 24), J-1 le 30.
    assert decalage_du(REF, date(2026, 3, 28), (-7, -1), debut=date(2026, 3, 28)) is None
    assert decalage_du(REF, date(2026, 3, 30), (-7, -1), debut=date(2026, 3, 28)) == -1
    # Inscription le jour même du J-7 : il part.
    assert decalage_du(REF, date(2026, 3, 24), (-7, -1), debut=date(2026, 3, 24)) == -7


def test_sans_date_de_reference_rien_n_est_du():
    assert decalage_du(None, REF, (-7, -1)) is None
