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
        (date(2026, 3, 31), -1),  # J0 : pas de décalage 0 déclaré, J-1 reste le dernier atteint
    ],
)
def test_decalage_du_avant_la_date(aujourd_hui, attendu):
    assert decalage_du(REF, aujourd_hui, (-7, -1)) == attendu


@pytest.mark.parametrize(
    "aujourd_hui, attendu",
    [
        (date(2026, 4, 6), None),
        (date(2026, 4, 7), 7),
        (date(2026, 4, 13), 7),
        (date(2026, 4, 14), 14),
        (date(2026, 4, 28), 28),
    ],
)
def test_decalage_du_repete_tous_les_sept_jours_en_retard(aujourd_hui, attendu):
    assert decalage_du(REF, aujourd_hui, (7,), repetition_jours=7) == attendu


def test_sans_date_de_reference_rien_n_est_du():
    assert decalage_du(None, REF, (-7, -1)) is None
