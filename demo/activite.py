"""Données de démonstration de l'activité : ce que les cinq lauréates de 2022 ont mené pour leur
public en 2023, de sorte que le bilan de l'appel 2022 retrouve les chiffres publiés.

Ce qui vient des sources : 56 actions (32 ateliers ou permanences, 24 parcours), 144 personnes
dont 136 en parcours, 61 % de femmes et 39 % d'hommes, 60 ans d'âge moyen, 75 % des parcours
suivis jusqu'au bout, des parcours ordinateur d'environ 12 h et tablette de 14 à 15 h, une liste
d'attente de 80 personnes à Leers. Ce qui est illustratif : la répartition entre structures, les
dates, les thèmes, les codes des personnes. Les 13 référents formés viennent de la démo de
l'accompagnement ; ils ne sont pas recréés ici.

Saisi par les services de l'activité, par le compte de chaque structure (celui qui a déposé sa
candidature), à la date de chaque action (`demo.horloge`) : le journal dit qui a saisi quoi.

Idempotent : l'activité n'est saisie que si aucune des cinq structures n'en a encore ; deux
passages donnent les mêmes données.
"""

import datetime
from decimal import Decimal

from activite import services
from activite.enums import THEMES_INITIAUX, Genre, StatutParticipation, TypeAction
from activite.models import Action, Theme
from activite.selectors import structures_de_la_cohorte
from demo.horloge import a_la_date
from demo.horloge import le as _a
from programmes.models import Appel

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


def _matin(jour):
    return _a(jour.year, jour.month, jour.day, 10)


def _soir(jour):
    return _a(jour.year, jour.month, jour.day, 18)


def charger_activite(stdout=None):
    appel = Appel.objects.filter(slug=SLUG_APPEL_2022).first()
    if appel is None:
        return
    structures = [s for s in structures_de_la_cohorte(appel).order_by("nom") if s.nom in PREFIXES]
    if len(structures) != len(PREFIXES):
        if stdout is not None:
            stdout.write("Activité de démo non chargée : les cinq lauréates de 2022 manquent.")
        return
    if Action.objects.filter(structure__in=structures).exists():
        if stdout is not None:
            stdout.write("Activité de démo : déjà saisie, laissée telle quelle.")
        return
    themes = _themes()
    ordre = {nom: rang for rang, nom in enumerate(PREFIXES)}
    structures.sort(key=lambda s: ordre[s.nom])
    # Qui saisit pour chaque structure : le compte qui a déposé sa candidature.
    saisie_par = {s.pk: s.membres.order_by("adhesions__pk").first() for s in structures}
    personnes = {s.pk: [] for s in structures}
    rang_personne = 0
    rang_par_structure = {s.pk: 0 for s in structures}
    actions = 0

    def nouvelle_personne(structure):
        """Genre et âge suivent le rang dans la cohorte, pour des parts exactes au total."""
        nonlocal rang_personne
        code = f"{PREFIXES[structure.nom]}-{rang_par_structure[structure.pk] + 1:03d}"
        beneficiaire = services.ajouter_beneficiaire(
            structure,
            par=saisie_par[structure.pk],
            code=code,
            genre=_genre(rang_personne),
            annee_naissance=ANNEE - (60 + ECARTS_AGE[rang_personne % len(ECARTS_AGE)]),
            commune=structure.commune,
        )
        rang_par_structure[structure.pk] += 1
        rang_personne += 1
        personnes[structure.pk].append(beneficiaire)
        return beneficiaire

    # Le public, enregistré avant le premier atelier : les personnes des parcours (16 de 6
    # personnes et 8 de 5, soit 136), puis huit personnes venues seulement aux ateliers.
    seulement_ateliers = {s.pk: [] for s in structures}
    with a_la_date(_matin(datetime.date(ANNEE, 2, 13))):
        inscrits_du_parcours = [
            [nouvelle_personne(structures[numero % len(structures)]) for _ in range(taille)]
            for numero, taille in enumerate([6] * 16 + [5] * (PARCOURS - 16))
        ]
        for rang in range(PERSONNES_EN_ATELIER_SEULEMENT):
            structure = structures[rang % len(structures)]
            seulement_ateliers[structure.pk].append(nouvelle_personne(structure))

    # Les parcours ; une personne sur quatre abandonne.
    rang_inscription = 0
    for numero in range(PARCOURS):
        structure = structures[numero % len(structures)]
        par = saisie_par[structure.pk]
        debut = datetime.date(ANNEE, 3, 1) + datetime.timedelta(days=9 * numero)
        fin = debut + datetime.timedelta(days=35)
        if numero < PARCOURS_ORDINATEUR:
            type_action = TypeAction.PARCOURS_ORDINATEUR
            heures = HEURES_ORDINATEUR[numero % len(HEURES_ORDINATEUR)]
        else:
            type_action = TypeAction.PARCOURS_TABLETTE
            heures = HEURES_TABLETTE[numero % len(HEURES_TABLETTE)]
        with a_la_date(_matin(debut)):
            action = services.enregistrer_action(
                structure,
                par=par,
                participants=inscrits_du_parcours[numero],
                ref=f"PAR-{numero + 1:02d}",
                type=type_action,
                date_debut=debut,
                date_fin=fin,
                duree_heures=heures,
            )
        statuts = {}
        for participation in action.participations.order_by("pk"):
            statuts[participation.pk] = (
                StatutParticipation.ABANDON
                if rang_inscription % 4 == 3
                else StatutParticipation.COMPLET
            )
            rang_inscription += 1
        with a_la_date(_soir(fin)):
            services.changer_statuts(action, statuts, par=par)
        actions += 1

    # Les ateliers et permanences, sur les thèmes du catalogue.
    for numero in range(SEANCES):
        structure = structures[numero % len(structures)]
        atelier = numero % 4 != 3
        jour = datetime.date(ANNEE, 2, 15) + datetime.timedelta(days=9 * numero + 3)
        inscrits = personnes[structure.pk]
        nombre = 4 if atelier else 1
        venus = [inscrits[(numero * 3 + k) % len(inscrits)] for k in range(nombre)]
        if numero < len(structures):
            venus += seulement_ateliers[structure.pk]
        with a_la_date(_soir(jour)):
            services.enregistrer_action(
                structure,
                par=saisie_par[structure.pk],
                participants=list(dict.fromkeys(venus)),
                ref=f"SEA-{numero + 1:02d}",
                type=TypeAction.ATELIER if atelier else TypeAction.PERMANENCE,
                date_debut=jour,
                date_fin=None,
                duree_heures=Decimal(2) if atelier else Decimal("1.5"),
                theme=themes[numero % len(themes)],
            )
        actions += 1

    leers = next(s for s in structures if s.nom == "CCAS de Leers")
    for date, nombre in ((datetime.date(ANNEE, 6, 30), 45), (datetime.date(ANNEE, 11, 30), 80)):
        with a_la_date(_soir(date)):
            services.enregistrer_liste_attente(
                leers, par=saisie_par[leers.pk], date=date, nombre=nombre
            )
    if stdout is not None:
        stdout.write(
            f"Activité de démo : {actions} actions, {rang_personne} personnes accompagnées."
        )
