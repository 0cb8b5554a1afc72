"""Données de démonstration du jury de l'appel 2022 : quatre membres (dont le compte
jury@demo.relais.test), un conflit déclaré, des notes validées pour chaque candidature
examinée, et la délibération du 28 septembre 2022 avec ses cinq lauréates.

Idempotent : chaque objet a une clé stable (appel, adresse du membre, couple membre-candidature)
et ses valeurs sont réécrites à l'identique. Les membres autres que le compte de démo, leurs
notes et le procès-verbal sont illustratifs.
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from candidatures.models import Appel, Candidature
from comptes.enums import Role
from evaluation import selectors, services
from evaluation.enums import GRILLE_PAR_DEFAUT, EtatEvaluation, SensDecision, TypeConflit
from evaluation.models import (
    Affectation,
    ConflitInterets,
    Critere,
    Decision,
    Deliberation,
    Evaluation,
    Grille,
    Jury,
    MembreJury,
    Note,
)
from evaluation.selectors import ETATS_EXAMINES
from territoires.models import Commune

PARIS = ZoneInfo("Europe/Paris")
SLUG_APPEL_2022 = "ami-inclusion-numerique-2022"

# (adresse, prénom, nom, code INSEE de la commune d'attache ou None)
MEMBRES = [
    ("jury@demo.relais.test", "Jules", "Jury", None),
    ("elue.leers@demo.relais.test", "Léa", "Lefebvre (fictive)", "59339"),
    ("partenaire.caf@demo.relais.test", "Karim", "Benali (fictif)", None),
    ("mediatrice@demo.relais.test", "Sophie", "Martin (fictive)", None),
]
# La membre élue de Leers se déclare en conflit avec le CCAS de Leers.
CONFLIT = ("elue.leers@demo.relais.test", "CCAS de Leers", TypeConflit.ELU)

# Notes de base par état (sur 5, pour les cinq critères) ; un petit décalage par membre et par
# candidature les rend différentes sans changer l'ordre des décisions.
BASE_PAR_ETAT = {
    "retenue": [5, 5, 4, 4, 4],
    "liste_attente": [4, 4, 3, 3, 3],
    "recevable": [3, 3, 3, 3, 2],
    "non_retenue": [2, 3, 2, 2, 2],
}
MOTIFS = {
    "non_retenue": "Projet encore peu défini et public déjà accompagné sur la commune.",
}


def _a(annee, mois, jour, heure=10):
    return datetime.datetime(annee, mois, jour, heure, tzinfo=PARIS)


def _membres(jury):
    Utilisateur = get_user_model()
    groupe = Group.objects.get_or_create(name=Role.MEMBRE_JURY)[0]
    membres = []
    for email, prenom, nom, code in MEMBRES:
        utilisateur = Utilisateur.objects.filter(email=email).first()
        if utilisateur is None:
            utilisateur = Utilisateur.objects.create_user(
                email=email, password=None, first_name=prenom, last_name=nom
            )
        utilisateur.groups.add(groupe)
        commune = Commune.objects.filter(code_insee=code).first() if code else None
        membre, _ = MembreJury.objects.update_or_create(
            jury=jury,
            email=email,
            defaults={"utilisateur": utilisateur, "commune": commune, "ajoute_le": _a(2022, 9, 5)},
        )
        membres.append(membre)
    return membres


def _valeurs(etat, rang_membre, rang_candidature):
    base = BASE_PAR_ETAT[etat]
    decalage = (rang_membre + rang_candidature) % 3 - 1  # -1, 0 ou +1 sur un critère
    valeurs = list(base)
    indice = (rang_membre + rang_candidature) % len(valeurs)
    valeurs[indice] = max(0, min(5, valeurs[indice] + decalage))
    return valeurs


def charger_jury(stdout=None):
    appel = Appel.objects.filter(slug=SLUG_APPEL_2022).first()
    if appel is None:
        return None
    jury, _ = Jury.objects.update_or_create(
        appel=appel,
        defaults={
            "date_limite_notation": _a(2022, 9, 27, 18),
            "mode_affectation": "tous",
            "notes_dans_la_lettre": True,
            "cree_le": _a(2022, 9, 5),
        },
    )
    grille, _ = Grille.objects.get_or_create(appel=appel)
    for ordre, (libelle, aide, poids, maximum) in enumerate(GRILLE_PAR_DEFAUT, start=1):
        Critere.objects.update_or_create(
            grille=grille,
            ordre=ordre,
            defaults={"libelle": libelle, "aide": aide, "poids": poids, "maximum": maximum},
        )
    criteres = list(grille.criteres.order_by("ordre"))
    membres = _membres(jury)
    candidatures = list(
        Candidature.objects.filter(appel=appel, etat__in=ETATS_EXAMINES)
        .select_related("structure")
        .order_by("structure__siret")
    )
    for rang_candidature, candidature in enumerate(candidatures):
        for rang_membre, membre in enumerate(membres):
            affectation, _ = Affectation.objects.update_or_create(
                membre=membre,
                candidature=candidature,
                defaults={"origine": "manuelle", "creee_le": _a(2022, 9, 19, 9)},
            )
            en_conflit = (membre.email, candidature.structure.nom) == CONFLIT[:2]
            ConflitInterets.objects.update_or_create(
                membre=membre,
                candidature=candidature,
                defaults={
                    "en_conflit": en_conflit,
                    "type": CONFLIT[2] if en_conflit else "",
                    "precision": "Conseillère municipale de Leers." if en_conflit else "",
                    "declare_le": _a(2022, 9, 19, 14),
                },
            )
            if en_conflit:
                Evaluation.objects.filter(affectation=affectation).delete()
                continue
            evaluation = Evaluation.objects.filter(affectation=affectation).first()
            if evaluation is None:
                evaluation = Evaluation.objects.create(
                    affectation=affectation, etat=EtatEvaluation.VALIDEE
                )
            valeurs = _valeurs(candidature.etat, rang_membre, rang_candidature)
            for critere, valeur in zip(criteres, valeurs, strict=True):
                Note.objects.update_or_create(
                    evaluation=evaluation,
                    critere=critere,
                    defaults={"valeur": valeur, "commentaire": ""},
                )
            Evaluation.objects.filter(pk=evaluation.pk).update(
                commentaire="Notes de démonstration.",
                total_sur_20=services._total_sur_20(evaluation),
                validee_le=_a(2022, 9, 26, 17),
            )
    deliberation, _ = Deliberation.objects.update_or_create(
        appel=appel,
        defaults={
            "date": _a(2022, 9, 28, 9),
            "quorum": 3,
            "proces_verbal": (
                "Séance du jury de sélection. Quatre membres présents, quorum atteint. "
                "Le jury retient les cinq structures les mieux classées, place deux "
                "candidatures sur liste d'attente et ne retient pas les autres. La membre élue "
                "de Leers s'est retirée pendant l'examen du CCAS de Leers."
            ),
            "motif_depassement": "",
            "publiee_le": _a(2022, 9, 29, 17),
            "publiee_par": get_user_model()
            .objects.filter(email="gestionnaire@demo.relais.test")
            .first(),
        },
    )
    deliberation.membres_presents.set(membres)
    # La liste d'attente suit le classement, comme à la publication des résultats.
    ordre = {
        ligne.candidature.pk: position
        for position, ligne in enumerate(selectors.classement(appel, jury=jury))
    }
    candidatures.sort(key=lambda candidature: ordre.get(candidature.pk, len(ordre)))
    rang_attente = 0
    for candidature in candidatures:
        if candidature.etat not in SensDecision.values:
            Decision.objects.filter(candidature=candidature).delete()
            continue
        if candidature.etat == SensDecision.LISTE_ATTENTE:
            rang_attente += 1
        Decision.objects.update_or_create(
            candidature=candidature,
            defaults={
                "deliberation": deliberation,
                "sens": candidature.etat,
                "motif": MOTIFS.get(candidature.etat, ""),
                "rang_liste_attente": rang_attente
                if candidature.etat == SensDecision.LISTE_ATTENTE
                else None,
            },
        )
    if stdout is not None:
        stdout.write(
            f"Jury 2022 : {len(membres)} membres, {len(candidatures)} candidatures notées, "
            "délibération publiée."
        )
    return jury
