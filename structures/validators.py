"""Validation des coordonnées d'une structure : le SIRET (14 chiffres dont le dernier est une
clé de Luhn, jamais que des zéros) et le numéro de téléphone (la bibliothèque `phonenumbers`,
qui connaît la longueur des numéros de chaque pays)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import to_python as lire_numero

# Les établissements de La Poste partagent un SIREN ; leurs SIRET ne suivent pas toujours la
# clé de Luhn (le siège, 356 000 000 00048, la suit) : la somme de leurs chiffres est alors un
# multiple de 5.
SIREN_LA_POSTE = "356000000"


def normaliser_siret(valeur):
    """Retire les espaces et points que l'on tape souvent (« 217 803 171 00019 »)."""
    return "".join(caractere for caractere in str(valeur) if caractere not in " .\u00a0\u202f")


def cle_de_luhn_valide(chiffres):
    total = 0
    for rang, caractere in enumerate(reversed(chiffres)):
        chiffre = int(caractere)
        if rang % 2 == 1:
            chiffre *= 2
            if chiffre > 9:
                chiffre -= 9
        total += chiffre
    return total % 10 == 0


def valider_siret(valeur):
    siret = normaliser_siret(valeur)
    if len(siret) != 14 or not siret.isdigit():
        raise ValidationError(
            gettext(
                "Le SIRET compte exactement 14 chiffres (9 pour le SIREN, 5 pour l'établissement)."
            ),
            code="format",
        )
    # Que des zéros : la clé de Luhn est juste (0), le numéro n'existe pourtant pas.
    if set(siret) == {"0"}:
        raise ValidationError(
            gettext("Ce SIRET n'existe pas : il n'est fait que de zéros."), code="zeros"
        )
    if set(siret[:9]) == {"0"}:
        raise ValidationError(
            gettext(
                "Ce SIRET n'existe pas : son SIREN (ses 9 premiers chiffres) n'est fait que de "
                "zéros."
            ),
            code="zeros",
        )
    valide = cle_de_luhn_valide(siret)
    if not valide and siret.startswith(SIREN_LA_POSTE):
        valide = sum(int(chiffre) for chiffre in siret) % 5 == 0
    if not valide:
        raise ValidationError(
            gettext(
                "Ce SIRET n'existe pas : son dernier chiffre (la clé de contrôle) ne correspond "
                "pas aux autres. Vérifiez-le sur un avis de situation INSEE ou sur "
                "annuaire-entreprises.data.gouv.fr."
            ),
            code="cle",
        )


# Les numéros de la métropole et des départements d'outre-mer se composent en France tels
# qu'on les écrit (03 20 12 34 56, 0262 12 34 56) ; les autres gardent leur indicatif.
INDICATIFS_COMPOSES_EN_FRANCE = {33, 262, 590, 594, 596}
TELEPHONE_INVALIDE = _(
    "Ce numéro de téléphone n'est pas valide : tapez ses 10 chiffres (03 20 12 34 56), "
    "ou l'indicatif du pays pour un numéro étranger (+32 2 555 12 12)."
)


def normaliser_telephone(valeur):
    """Le numéro tel qu'on le lit (« 03 20 12 34 56 », « +32 2 555 12 12 ») ; ValidationError
    si ce n'est pas un numéro attribuable (trop court, trop long, indicatif inconnu)."""
    numero = lire_numero(str(valeur).strip(), region="FR")
    if numero is None or not getattr(numero, "is_valid", lambda: False)():
        raise ValidationError(TELEPHONE_INVALIDE, code="invalide")
    format_ = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if numero.country_code in INDICATIFS_COMPOSES_EN_FRANCE
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(numero, format_)
