"""Les écritures de l'activité d'une structure : bénéficiaires, actions et participations,
listes d'attente, catalogue des thèmes. Chacune en une transaction, journalisée.

Chaque écriture vérifie d'abord le droit de `par` (`activite.saisir_activite` sur la
structure, `activite.gerer_themes` pour le catalogue) : refus `ActionNonPermise` (403). Sans
`par` (la commande d'import, un test), rien n'est vérifié de ce côté. Puis ce qui tient aux
données : un code déjà pris, un statut qui ne va pas avec le type d'action
(`DonneesRefusees`, 400).
"""

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from activite.enums import TYPES_PARCOURS, StatutParticipation, statuts_permis
from activite.importation import CODE_VALIDE
from activite.models import Action, Beneficiaire, ListeAttente, Participation, Theme
from activite.rules import exiger_saisie
from activite.versions import ecritures_groupees
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import DonneesRefusees
from noyau.transitions import exiger

PREFIXE_CODE = "P"
CODE_GENERE = re.compile(rf"^{PREFIXE_CODE}(\d+)$")


def prochain_code(structure):
    """Le code suivant de la structure : P0001, P0002… après le plus grand déjà pris."""
    numeros = [
        int(correspondance.group(1))
        for code in Beneficiaire.objects.filter(
            structure=structure, code__startswith=PREFIXE_CODE
        ).values_list("code", flat=True)
        if (correspondance := CODE_GENERE.match(code))
    ]
    return f"{PREFIXE_CODE}{max(numeros, default=0) + 1:04d}"


def ajouter_beneficiaire(structure, *, par, code="", genre, annee_naissance=None, commune=None):
    """Crée un bénéficiaire (code généré s'il est vide) et journalise l'ajout, sans le code :
    le journal n'a pas à garder la trace du public."""
    exiger_saisie(par, structure)
    with transaction.atomic():
        code = (code or "").strip() or prochain_code(structure)
        if not CODE_VALIDE.match(code):
            raise DonneesRefusees(
                _(
                    "Le code « %(code)s » n'est pas valide : lettres sans accent, chiffres, "
                    "tiret, point ou souligné, 30 caractères au plus, jamais un nom."
                )
                % {"code": code}
            )
        try:
            with transaction.atomic():
                beneficiaire = Beneficiaire.objects.create(
                    structure=structure,
                    code=code,
                    genre=genre,
                    annee_naissance=annee_naissance,
                    commune=commune,
                )
        except IntegrityError as erreur:
            raise DonneesRefusees(
                _(
                    "Le code « %(code)s » est déjà pris dans cette structure : choisissez-en un "
                    "autre ou laissez le champ vide pour en générer un."
                )
                % {"code": code}
            ) from erreur
        journaliser(TypeEvenement.BENEFICIAIRE_AJOUTE, cible=structure, acteur=par)
    return beneficiaire


def _statut_initial(type_action):
    return StatutParticipation.EN_COURS if type_action in TYPES_PARCOURS else "present"


def enregistrer_action(structure, *, par, action=None, participants=(), **champs):
    """Crée (ou modifie) une action de la structure et y inscrit les bénéficiaires donnés,
    au statut de départ de son type (présent ; en cours pour un parcours). Journalisé."""
    exiger_saisie(par, structure)
    with transaction.atomic(), ecritures_groupees():
        if action is None:
            action = Action(structure=structure, creee_par=par)
        elif action.structure_id != structure.pk:
            raise DonneesRefusees(_("Cette action appartient à une autre structure."))
        ancien_type = action.type
        for nom, valeur in champs.items():
            setattr(action, nom, valeur)
        action.full_clean(exclude=["structure", "creee_par", "ref"])
        action.save()
        if ancien_type and ancien_type != action.type:
            # Un atelier devenu parcours (ou l'inverse) : les statuts doivent suivre.
            permis = statuts_permis(action.type)
            action.participations.exclude(statut__in=permis).update(
                statut=_statut_initial(action.type)
            )
        _inscrire(action, participants)
        journaliser(
            TypeEvenement.ACTION_ENREGISTREE,
            cible=structure,
            acteur=par,
            donnees={"action": action.pk, "type": action.type},
        )
    return action


def saisir_action(structure, *, par, action=None, participants=(), nouveaux=(), **champs):
    """La saisie d'une action après la séance, en une transaction : les nouveaux bénéficiaires
    (`nouveaux` : les champs de chacun pour `ajouter_beneficiaire`) puis l'action, avec eux
    et les `participants` déjà connus. Renvoie l'action et les bénéficiaires créés."""
    exiger_saisie(par, structure)
    with transaction.atomic():
        crees = [ajouter_beneficiaire(structure, par=par, **nouveau) for nouveau in nouveaux]
        action = enregistrer_action(
            structure, par=par, action=action, participants=[*participants, *crees], **champs
        )
    return action, crees


def ajouter_participants(action, beneficiaires, *, par=None, nouveau=None):
    """Inscrit ces bénéficiaires de la structure à l'action ; ceux déjà inscrits restent.
    `nouveau` : les champs d'un bénéficiaire à créer d'abord et à inscrire aussi. En une
    transaction, journalisé. Renvoie les bénéficiaires inscrits."""
    structure = action.structure
    exiger_saisie(par, structure)
    beneficiaires = list(beneficiaires)
    with transaction.atomic(), ecritures_groupees():
        if nouveau is not None:
            beneficiaires.append(ajouter_beneficiaire(structure, par=par, **nouveau))
        _inscrire(action, beneficiaires)
        journaliser(
            TypeEvenement.ACTION_ENREGISTREE,
            cible=structure,
            acteur=par,
            donnees={"action": action.pk, "participants": len(beneficiaires)},
        )
    return beneficiaires


def _inscrire(action, beneficiaires):
    for beneficiaire in beneficiaires:
        if beneficiaire.structure_id != action.structure_id:
            raise DonneesRefusees(
                _("« %(code)s » n'est pas un bénéficiaire de la structure.")
                % {"code": beneficiaire.code}
            )
        Participation.objects.get_or_create(
            action=action,
            beneficiaire=beneficiaire,
            defaults={"statut": _statut_initial(action.type)},
        )


def changer_statuts(action, statuts, *, par):
    """statuts : {id de participation: statut}. Refuse un statut qui ne va pas au type."""
    exiger_saisie(par, action.structure)
    permis = statuts_permis(action.type)
    with transaction.atomic(), ecritures_groupees():
        for participation in action.participations.select_for_update():
            nouveau = statuts.get(participation.pk)
            if nouveau is None or nouveau == participation.statut:
                continue
            if nouveau not in permis:
                type_action = action.get_type_display().lower()
                raise DonneesRefusees(
                    _("Le statut « %(statut)s » ne convient pas à : %(type)s.")
                    % {"statut": nouveau, "type": type_action}
                )
            participation.statut = nouveau
            participation.save(update_fields=["statut"])
        journaliser(
            TypeEvenement.ACTION_ENREGISTREE,
            cible=action.structure,
            acteur=par,
            donnees={"action": action.pk, "statuts": True},
        )


def retirer_participant(action, participation_id, *, par=None):
    """Retire une participation de l'action (le bénéficiaire reste) ; journalisé."""
    exiger_saisie(par, action.structure)
    with transaction.atomic():
        retirees, _detail = action.participations.filter(pk=participation_id).delete()
        if retirees:
            journaliser(
                TypeEvenement.ACTION_ENREGISTREE,
                cible=action.structure,
                acteur=par,
                donnees={"action": action.pk, "retrait": True},
            )


def supprimer_action(action, *, par):
    exiger_saisie(par, action.structure)
    with transaction.atomic():
        structure = action.structure
        donnees = {"type": action.type, "date": action.date_debut.isoformat()}
        action.delete()
        journaliser(TypeEvenement.ACTION_SUPPRIMEE, cible=structure, acteur=par, donnees=donnees)


def enregistrer_liste_attente(structure, *, par, date, nombre):
    """Le nombre de personnes en attente à cette date (remplace celui du même jour)."""
    exiger_saisie(par, structure)
    with transaction.atomic():
        liste, _cree = ListeAttente.objects.update_or_create(
            structure=structure, date=date, defaults={"nombre": nombre, "saisie_par": par}
        )
        journaliser(
            TypeEvenement.LISTE_ATTENTE_SAISIE,
            cible=structure,
            acteur=par,
            donnees={"date": date.isoformat(), "nombre": nombre},
        )
    return liste


def enregistrer_theme(*, par, theme=None, libelle, actif=True, ordre=0):
    """Ajoute ou modifie un thème du catalogue (réservé aux gestionnaires) ; journalisé."""
    if par is not None:
        exiger(par, "activite.gerer_themes", None)
    with transaction.atomic():
        theme = theme or Theme()
        theme.libelle = libelle.strip()
        theme.actif = actif
        theme.ordre = ordre
        try:
            with transaction.atomic():
                theme.save()
        except IntegrityError as erreur:
            raise DonneesRefusees(
                _("Le thème « %(libelle)s » existe déjà.") % {"libelle": libelle}
            ) from erreur
        journaliser(
            TypeEvenement.THEMES_MODIFIES,
            cible=theme,
            acteur=par,
            donnees={"libelle": theme.libelle, "actif": actif},
        )
    return theme
