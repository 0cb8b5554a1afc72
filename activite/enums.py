from django.db import models
from django.utils.translation import gettext_lazy as _


class Genre(models.TextChoices):
    FEMME = "F", _("Femme")
    HOMME = "H", _("Homme")
    AUTRE = "X", _("Autre")
    NON_RENSEIGNE = "NR", _("Non renseigné")


# Les genres dits : les pourcentages de femmes et d'hommes se calculent parmi ces personnes.
GENRES_RENSEIGNES = [Genre.FEMME, Genre.HOMME, Genre.AUTRE]


class TypeAction(models.TextChoices):
    ATELIER = "atelier", _("Atelier thématique")
    PERMANENCE = "permanence", _("Permanence individuelle")
    PARCOURS_ORDINATEUR = "parcours_ordinateur", _("Parcours d'initiation à l'ordinateur")
    PARCOURS_TABLETTE = "parcours_tablette", _("Parcours d'initiation à la tablette")


# Une séance datée (un jour) ou un parcours (plusieurs séances, une date de fin).
TYPES_SEANCE = [TypeAction.ATELIER, TypeAction.PERMANENCE]
TYPES_PARCOURS = [TypeAction.PARCOURS_ORDINATEUR, TypeAction.PARCOURS_TABLETTE]


class StatutParticipation(models.TextChoices):
    PRESENT = "present", _("Présent")
    EN_COURS = "en_cours", _("En cours")
    COMPLET = "complet", _("Parcours complet")
    ABANDON = "abandon", _("Abandon")


STATUTS_SEANCE = [StatutParticipation.PRESENT]
STATUTS_PARCOURS = [
    StatutParticipation.EN_COURS,
    StatutParticipation.COMPLET,
    StatutParticipation.ABANDON,
]


def statuts_permis(type_action):
    return STATUTS_PARCOURS if type_action in TYPES_PARCOURS else STATUTS_SEANCE


# Le catalogue de thèmes proposé au départ (premier cas) ; les gestionnaires le modifient.
THEMES_INITIAUX = [
    "Accès aux droits",
    "Sécurité et arnaques en ligne",
    "Réseaux sociaux et cyberharcèlement",
    "Réglages du téléphone",
    "Démarches administratives en ligne",
    "Usage d'une application",
]


class PublicDuBilan(models.TextChoices):
    """À qui s'adresse une mise en forme du bilan : les chiffres diffèrent (secret statistique)."""

    DETAILLE = "detaille", _("Détaillé (gestionnaires du programme)")
    MASQUE = "masque", _("Masqué sous 5 personnes (observateurs)")
