"""Données de démonstration de l'activité : ce que les cinq lauréates de 2022 ont mené pour leur
public en 2023, de sorte que le bilan de l'appel 2022 retrouve les chiffres publiés.

Ce qui vient des sources : 56 actions (32 ateliers ou permanences, 24 parcours), 144 personnes
dont 136 en parcours, 61 % de femmes et 39 % d'hommes, 60 ans d'âge moyen, 75 % des parcours
suivis jusqu'au bout, des parcours ordinateur d'environ 12 h et tablette de 14 à 15 h, une liste
d'attente de 80 personnes à Leers. Ce qui est illustratif : la répartition entre structures, les
dates, les thèmes, les codes des personnes. Les 13 référents formés viennent de la démo de
l'accompagnement ; ils ne sont pas recréés ici.

Idempotent : chaque ligne a une clé stable (code, référence d'action, date) ; deux passages
donnent les mêmes données, et ce qui n'est pas dans la démo est retiré de ces cinq structures.
"""

import datetime
from decimal import Decimal

from activite.enums import THEMES_INITIAUX, Genre, StatutParticipation, TypeAction
from activite.models import Action, Beneficiaire, ListeAttente, Participation, Theme
from activite.selectors import structures_de_la_cohorte
from candidatures.models import Appel

SLUG_APPEL_2022 = "ami-inclusion-numerique-2022"
PREFIXES = {
    "CCAS de Houplines": "HOU",
    "CCAS de Leers": "LEE",
    "CCAS de Haubourdin": "HAU",
    "CCAS de Faches-Thumesnil": "FAC",
    "ESAT « Les Ateliers de la Lys »": "ESA",
}
PARCOURS = 24  # dont 14 sur ordinateur et 10 sur tablette
PARCOURS_ORDINATEUR = 14
SEANCES = 32  # ateliers et permanences
PERSONNES_EN_PARCOURS = 136
PERSONNES_EN_ATELIER_SEULEMENT = 8
HEURES_ORDINATEUR = [Decimal(11), Decimal(12), Decimal(13), Decimal(12)]  # ≈ 11,9 h en moyenne
HEURES_TABLETTE = [Decimal(14), Decimal(15)]  # 14,5 h
# Âges à la première participation : symétriques autour de 60 ans.
ECARTS_AGE = [-25, -15, -8, -3, 0, 3, 8, 15, 25]
ANNEE = 2023


def _genre(rang):
    # 11 femmes sur 18 : 88 femmes et 56 hommes sur 144 (61,1 % et 38,9 %).
    return Genre.FEMME if rang % 18 < 11 else Genre.HOMME


def _themes():
    themes = []
    for ordre, libelle in enumerate(THEMES_INITIAUX, 1):
        theme, _ = Theme.objects.get_or_create(libelle=libelle, defaults={"ordre": ordre})
        themes.append(theme)
    return themes


def _personne(structure, code, rang_dans_la_cohorte):
    """Genre et âge suivent le rang dans la cohorte, pour des parts exactes au total."""
    beneficiaire, _ = Beneficiaire.objects.update_or_create(
        structure=structure,
        code=code,
        defaults={
            "genre": _genre(rang_dans_la_cohorte),
            "annee_naissance": ANNEE - (60 + ECARTS_AGE[rang_dans_la_cohorte % len(ECARTS_AGE)]),
            "commune": structure.commune,
        },
    )
    return beneficiaire


def _action(structure, ref, type_action, debut, fin, heures, theme=None):
    action, _ = Action.objects.update_or_create(
        structure=structure,
        ref=ref,
        defaults={
            "type": type_action,
            "date_debut": debut,
            "date_fin": fin,
            "duree_heures": heures,
            "theme": theme,
        },
    )
    return action


def _participer(action, beneficiaire, statut, gardees):
    participation, _ = Participation.objects.update_or_create(
        action=action, beneficiaire=beneficiaire, defaults={"statut": statut}
    )
    gardees.add(participation.pk)


def charger_activite(stdout=None):
    appel = Appel.objects.filter(slug=SLUG_APPEL_2022).first()
    if appel is None:
        return
    structures = [s for s in structures_de_la_cohorte(appel).order_by("nom") if s.nom in PREFIXES]
    if len(structures) != len(PREFIXES):
        if stdout is not None:
            stdout.write("Activité de démo non chargée : les cinq lauréates de 2022 manquent.")
        return
    themes = _themes()
    ordre = {nom: rang for rang, nom in enumerate(PREFIXES)}
    structures.sort(key=lambda s: ordre[s.nom])
    personnes = {s.pk: [] for s in structures}
    actions_gardees, beneficiaires_gardes, participations_gardees = set(), set(), set()
    rang_personne = 0
    rang_par_structure = {s.pk: 0 for s in structures}

    def nouvelle_personne(structure):
        nonlocal rang_personne
        code = f"{PREFIXES[structure.nom]}-{rang_par_structure[structure.pk] + 1:03d}"
        beneficiaire = _personne(structure, code, rang_personne)
        rang_par_structure[structure.pk] += 1
        rang_personne += 1
        beneficiaires_gardes.add(beneficiaire.pk)
        personnes[structure.pk].append(beneficiaire)
        return beneficiaire

    # Les parcours : 16 de 6 personnes et 8 de 5, soit 136 ; une sur quatre abandonne.
    rang_inscription = 0
    for numero in range(PARCOURS):
        structure = structures[numero % len(structures)]
        debut = datetime.date(ANNEE, 3, 1) + datetime.timedelta(days=9 * numero)
        if numero < PARCOURS_ORDINATEUR:
            type_action = TypeAction.PARCOURS_ORDINATEUR
            heures = HEURES_ORDINATEUR[numero % len(HEURES_ORDINATEUR)]
        else:
            type_action = TypeAction.PARCOURS_TABLETTE
            heures = HEURES_TABLETTE[numero % len(HEURES_TABLETTE)]
        action = _action(
            structure,
            f"PAR-{numero + 1:02d}",
            type_action,
            debut,
            debut + datetime.timedelta(days=35),
            heures,
        )
        actions_gardees.add(action.pk)
        for _ in range(6 if numero < 16 else 5):
            statut = (
                StatutParticipation.ABANDON
                if rang_inscription % 4 == 3
                else StatutParticipation.COMPLET
            )
            _participer(action, nouvelle_personne(structure), statut, participations_gardees)
            rang_inscription += 1

    # Huit personnes venues seulement aux ateliers.
    seulement_ateliers = {s.pk: [] for s in structures}
    for rang in range(PERSONNES_EN_ATELIER_SEULEMENT):
        structure = structures[rang % len(structures)]
        seulement_ateliers[structure.pk].append(nouvelle_personne(structure))

    # Les ateliers et permanences, sur les thèmes du catalogue.
    for numero in range(SEANCES):
        structure = structures[numero % len(structures)]
        atelier = numero % 4 != 3
        action = _action(
            structure,
            f"SEA-{numero + 1:02d}",
            TypeAction.ATELIER if atelier else TypeAction.PERMANENCE,
            datetime.date(ANNEE, 2, 15) + datetime.timedelta(days=9 * numero + 3),
            None,
            Decimal(2) if atelier else Decimal("1.5"),
            themes[numero % len(themes)],
        )
        actions_gardees.add(action.pk)
        inscrits = personnes[structure.pk]
        nombre = 4 if atelier else 1
        venus = [inscrits[(numero * 3 + k) % len(inscrits)] for k in range(nombre)]
        if numero < len(structures):
            venus += seulement_ateliers[structure.pk]
        for beneficiaire in dict.fromkeys(venus):
            _participer(action, beneficiaire, StatutParticipation.PRESENT, participations_gardees)

    leers = next(s for s in structures if s.nom == "CCAS de Leers")
    listes = []
    for date, nombre in ((datetime.date(ANNEE, 6, 30), 45), (datetime.date(ANNEE, 11, 30), 80)):
        liste, _ = ListeAttente.objects.update_or_create(
            structure=leers, date=date, defaults={"nombre": nombre}
        )
        listes.append(liste.pk)

    # Ce qui n'est pas dans la démo (un essai à la main, un ancien passage) est retiré.
    ids = [s.pk for s in structures]
    Participation.objects.filter(action__structure_id__in=ids).exclude(
        pk__in=participations_gardees
    ).delete()
    Action.objects.filter(structure_id__in=ids).exclude(pk__in=actions_gardees).delete()
    Beneficiaire.objects.filter(structure_id__in=ids).exclude(pk__in=beneficiaires_gardes).delete()
    ListeAttente.objects.filter(structure_id__in=ids).exclude(pk__in=listes).delete()
    if stdout is not None:
        stdout.write(
            f"Activité de démo : {len(actions_gardees)} actions, "
            f"{len(beneficiaires_gardes)} personnes accompagnées."
        )
