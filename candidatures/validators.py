"""Validation du SIRET : 14 chiffres dont le dernier est une clé de Luhn."""

from django.core.exceptions import ValidationError

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
            "Le SIRET compte exactement 14 chiffres (9 pour le SIREN, 5 pour l'établissement).",
            code="format",
        )
    valide = cle_de_luhn_valide(siret)
    if not valide and siret.startswith(SIREN_LA_POSTE):
        valide = sum(int(chiffre) for chiffre in siret) % 5 == 0
    if not valide:
        raise ValidationError(
            "Ce SIRET n'existe pas : son dernier chiffre (la clé de contrôle) ne correspond pas "
            "aux autres. Vérifiez-le sur un avis de situation INSEE ou sur annuaire-entreprises."
            "data.gouv.fr.",
            code="cle",
        )
