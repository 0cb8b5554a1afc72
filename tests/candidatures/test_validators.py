import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from structures.validators import cle_de_luhn_valide, normaliser_siret, valider_siret

TREIZE_CHIFFRES = st.text(alphabet="0123456789", min_size=13, max_size=13).filter(
    lambda debut: not debut.startswith(("356000000", "000000000"))
)


def _avec_sa_cle(debut):
    return next(debut + cle for cle in "0123456789" if cle_de_luhn_valide(debut + cle))


@given(TREIZE_CHIFFRES)
def test_un_siret_avec_sa_cle_est_accepte(debut):
    valider_siret(_avec_sa_cle(debut))


@given(TREIZE_CHIFFRES, st.integers(min_value=0, max_value=13), st.integers(1, 9))
def test_changer_un_seul_chiffre_rend_le_siret_faux(debut, position, decalage):
    siret = _avec_sa_cle(debut)
    chiffre = str((int(siret[position]) + decalage) % 10)
    faux = siret[:position] + chiffre + siret[position + 1 :]
    with pytest.raises(ValidationError) as refus:
        valider_siret(faux)
    assert refus.value.code == "cle"


@pytest.mark.parametrize("saisie", ["1234567890123", "123456789012345", "1234567890123A", ""])
def test_un_siret_qui_n_a_pas_14_chiffres(saisie):
    with pytest.raises(ValidationError) as refus:
        valider_siret(saisie)
    assert refus.value.messages == [
        "Le SIRET compte exactement 14 chiffres (9 pour le SIREN, 5 pour l'établissement)."
    ]


def test_les_etablissements_de_la_poste_suivent_leur_propre_regle():
    valider_siret("35600000000048")  # le siège : clé de Luhn
    valider_siret("35600000012341")  # un bureau : somme des chiffres multiple de 5
    with pytest.raises(ValidationError):
        valider_siret("35600000012342")


def test_les_espaces_et_les_points_tapes_sont_retires():
    assert normaliser_siret("123 456 789.00012") == "12345678900012"


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("00000000000000", "Ce SIRET n'existe pas : il n'est fait que de zéros."),
        (
            "00000000000018",
            "Ce SIRET n'existe pas : son SIREN (ses 9 premiers chiffres) n'est fait que de zéros.",
        ),
    ],
)
def test_un_siret_de_zeros_est_refuse_malgre_sa_cle_juste(saisie, message):
    assert cle_de_luhn_valide(saisie)
    with pytest.raises(ValidationError) as refus:
        valider_siret(saisie)
    assert refus.value.messages == [message]
