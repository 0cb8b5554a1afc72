"""Écriture : des valeurs vérifiées à la base, en une transaction (remplacement compris), sous
verrou de la structure ; une structure n'a jamais une activité à moitié importée."""

from django.db import transaction

from activite.importation.formats import LIGNES_PAR_LOT, RapportImport
from activite.importation.verification import Verification
from activite.models import Action, Beneficiaire, ListeAttente, Participation
from activite.rules import exiger_saisie
from activite.versions import ecritures_groupees, noter_activite_modifiee
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from crochets.evenements import CodeEvenement
from crochets.services import signaler
from journal.enums import TypeEvenement
from journal.services import journaliser
from structures.models import Structure


def importer_activite(structure, feuilles, *, remplacer=False, essai=False, par=None):
    """Vérifie puis, sans erreur et hors essai, écrit l'activité de la structure.

    En une transaction : verrou sur la structure, effacement de son activité si `remplacer`,
    création des bénéficiaires, actions, participations et listes d'attente, jeton d'activité
    de la structure renouvelé (son bilan en cache ne sert plus), une ligne de journal. Avec
    une seule erreur, ou en essai, rien n'est écrit. Renvoie le rapport.

    `par` doit pouvoir saisir l'activité de la structure (`activite.saisir_activite`, refus
    `ActionNonPermise`) ; sans `par` (la commande `import_activite`), rien n'est vérifié.
    """
    exiger_saisie(par, structure)
    rapport = RapportImport(remplacer=remplacer, essai=essai)
    with transaction.atomic():
        # Deux imports simultanés pour la même structure se suivent au lieu de se mêler.
        Structure.objects.select_for_update().filter(pk=structure.pk).exists()
        verification = Verification(structure, feuilles, remplacer)
        verification.verifier()
        rapport.erreurs = verification.erreurs
        rapport.comptes = verification.comptes
        if rapport.erreurs or essai:
            return rapport
        with ecritures_groupees():
            ecrire(verification, par=par)
            # bulk_create n'envoie aucun signal : le bilan de la structure change quand même.
            noter_activite_modifiee(structures=[structure.pk])
        journaliser(
            TypeEvenement.ACTIVITE_IMPORTEE,
            cible=structure,
            acteur=par,
            donnees={**rapport.comptes, "remplacement": remplacer},
        )
        # Les programmes où la structure est lauréate (une sous-requête : une seule lecture).
        signaler(
            CodeEvenement.ACTIVITE_IMPORTEE,
            structure,
            programme_id=Candidature.objects.filter(
                structure=structure, etat=EtatCandidature.RETENUE
            ).values("appel__programme_id"),
        )
        rapport.applique = True
    return rapport


def ecrire(verification, *, par):
    """Les lignes vérifiées, en nombre ; à appeler dans la transaction de l'import."""
    structure = verification.structure
    if verification.remplacer:
        _effacer_l_activite(structure)
    _creer_beneficiaires(structure, verification.beneficiaires)
    _creer_actions(structure, verification.actions, par=par)
    _creer_participations(structure, verification.participations)
    _creer_listes_attente(structure, verification.listes_attente, par=par)


def _effacer_l_activite(structure):
    Participation.objects.filter(action__structure=structure).delete()
    Action.objects.filter(structure=structure).delete()
    Beneficiaire.objects.filter(structure=structure).delete()
    ListeAttente.objects.filter(structure=structure).delete()


def _creer_beneficiaires(structure, beneficiaires):
    Beneficiaire.objects.bulk_create(
        [
            Beneficiaire(structure=structure, code=code, **champs)
            for code, champs in beneficiaires.items()
        ],
        batch_size=LIGNES_PAR_LOT,
    )


def _creer_actions(structure, actions, *, par):
    Action.objects.bulk_create(
        [
            Action(
                structure=structure,
                ref=ref,
                type=champs["type"],
                theme_id=champs["theme_id"],
                date_debut=champs["date_debut"],
                date_fin=champs["date_fin"],
                duree_heures=champs["duree_heures"],
                creee_par=par,
            )
            for ref, champs in actions.items()
        ],
        batch_size=LIGNES_PAR_LOT,
    )


def _creer_participations(structure, participations):
    """Les participations (référence d'action, code, statut), rattachées par identifiant aux
    actions et bénéficiaires de la structure, ceux d'avant l'import compris."""
    ids_beneficiaires = dict(
        Beneficiaire.objects.filter(structure=structure).values_list("code", "pk")
    )
    ids_actions = dict(
        Action.objects.filter(structure=structure).exclude(ref="").values_list("ref", "pk")
    )
    Participation.objects.bulk_create(
        [
            Participation(
                action_id=ids_actions[ref], beneficiaire_id=ids_beneficiaires[code], statut=statut
            )
            for ref, code, statut in participations
        ],
        batch_size=LIGNES_PAR_LOT,
    )


def _creer_listes_attente(structure, listes_attente, *, par):
    ListeAttente.objects.bulk_create(
        [
            ListeAttente(structure=structure, date=date, nombre=nombre, saisie_par=par)
            for date, nombre in listes_attente.items()
        ]
    )
