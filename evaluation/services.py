"""Les écritures du jury et de la délibération.

Chaque service relit sous verrou (`select_for_update`) ce qu'il change, vérifie la règle
django-rules de l'action, journalise l'acteur et le motif, et met les courriels dans la boîte
d'envoi (partis au commit). Les refus lèvent une erreur de `noyau.erreurs` avec un
message en français ; rien n'est écrit à moitié.

Un seul ordre de verrous pour tout ce qui touche aux notes et aux décisions : la ligne de
l'appel d'abord, puis ce que l'écriture change (l'affectation du membre, le jury, la grille,
la délibération). Déclarer un conflit, enregistrer ou valider des notes, répartir les
candidatures, changer la grille ou les réglages du jury, enregistrer la séance ou les
décisions et changer l'étape de l'appel passent donc l'un après l'autre sur un même appel, et
chacun relit après ses verrous ce qui fonde le droit (état de l'appel, date limite,
déclaration du membre, notes déjà saisies) : une note ne s'écrit ni après un conflit déclaré,
ni après l'ouverture de la délibération, ni après la date limite avancée ; une répartition ne
retire pas une affectation déjà notée ; la grille ne change pas sous des notes ; ni la
séance, ni le procès-verbal, ni une décision ne se réécrivent après la publication.
"""

import importlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext
from django_fsm import can_proceed

from candidatures.enums import EtatAppel, EtatCandidature
from candidatures.models import Appel, Candidature
from comptes.services import inviter
from evaluation import lettres, notifications, selectors
from evaluation.enums import (
    GRILLE_PAR_DEFAUT,
    TRANSITION_DECISION,
    EtatEvaluation,
    OrigineAffectation,
    SensDecision,
    TypeConflit,
)
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
    Recusation,
)
from evaluation.rules import oublier_sieges
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.roles import Role

REFUS_PAR_DEFAUT = gettext_noop("Votre compte ne permet pas cette action.")


def _exiger(utilisateur, permission, objet, message=REFUS_PAR_DEFAUT):
    if not utilisateur.has_perm(permission, objet):
        raise ActionNonPermise(gettext(message))


def _verrouiller_appel(appel_id):
    """Le premier verrou de toute écriture qui dépend de l'étape de l'appel : sa ligne seule
    (le programme, lu avec, n'est pas verrouillé)."""
    return (
        Appel.objects.select_for_update(of=("self",)).select_related("programme").get(pk=appel_id)
    )


# --- Préparation du jury ---------------------------------------------------------------------


def preparer_jury(appel, *, par):
    """Crée le jury et la grille de l'appel (grille par défaut du premier cas, modifiable).

    Idempotent : renvoie le jury existant. Journalise « jury préparé » à la création.
    """
    _exiger(par, "evaluation.gerer_jury", appel)
    with transaction.atomic():
        appel = _verrouiller_appel(appel.pk)
        jury, cree = Jury.objects.get_or_create(appel=appel)
        grille, grille_creee = Grille.objects.get_or_create(appel=appel)
        if grille_creee:
            Critere.objects.bulk_create(
                Critere(
                    grille=grille,
                    ordre=ordre,
                    libelle=libelle,
                    aide=aide,
                    poids=poids,
                    maximum=maximum,
                )
                for ordre, (libelle, aide, poids, maximum) in enumerate(GRILLE_PAR_DEFAUT, 1)
            )
        if cree:
            journaliser(TypeEvenement.JURY_PREPARE, cible=appel, acteur=par)
    return jury


def regler_jury(jury, *, par, champs):
    """Met à jour la date limite de notation et les réglages du jury. Journalisé.

    Le verrou de l'appel, pris d'abord comme par les notes, les fait passer l'une après
    l'autre : une note en cours d'écriture finit avec l'ancienne date limite, celle qui
    arrive ensuite lit la nouvelle."""
    _exiger(par, "evaluation.gerer_jury", jury.appel)
    with transaction.atomic():
        appel = _verrouiller_appel(jury.appel_id)
        jury = Jury.objects.select_for_update(of=("self",)).get(pk=jury.pk)
        jury.appel = appel
        changes = sorted(nom for nom, valeur in champs.items() if getattr(jury, nom) != valeur)
        for nom, valeur in champs.items():
            setattr(jury, nom, valeur)
        jury.full_clean(exclude=["appel"])
        if changes:
            jury.save(update_fields=changes)
            journaliser(
                TypeEvenement.JURY_REGLE, cible=jury.appel, acteur=par, donnees={"champs": changes}
            )
    return jury


def enregistrer_grille(appel, *, par, formset):
    """Enregistre les critères de la grille. Refusé dès qu'une note a été saisie : changer la
    grille en cours de notation rendrait les totaux incomparables. Le verrou de l'appel, pris
    d'abord comme par les notes, attend celles en cours d'écriture ; l'étape de l'appel et
    l'absence de notes se relisent après lui. Journalisé."""
    _exiger(par, "evaluation.gerer_jury", appel)
    with transaction.atomic():
        appel = _verrouiller_appel(appel.pk)
        if not par.has_perm("evaluation.modifier_grille", appel):
            raise ActionImpossible(
                gettext("La grille ne se modifie plus : l'appel est « %(etat)s ».")
                % {"etat": appel.get_etat_display()}
            )
        grille = Grille.objects.select_for_update().get(appel=appel)
        if Note.objects.filter(critere__grille=grille).exists():
            raise ActionImpossible(
                gettext(
                    "La grille ne se modifie plus : des membres du jury ont déjà saisi des notes."
                )
            )
        formset.save()
        if not grille.criteres.exists():
            raise DonneesRefusees(gettext("La grille doit garder au moins un critère."))
        journaliser(TypeEvenement.GRILLE_MODIFIEE, cible=appel, acteur=par)
    return grille


# Un membre s'ajoute tant que le jury peut encore siéger pour noter : une fois la
# délibération ouverte, les notes sont figées et il n'aurait rien à faire (ni invitation).
ETATS_APPEL_JURY_OUVERT = (
    EtatAppel.BROUILLON,
    EtatAppel.OUVERT,
    EtatAppel.CLOS,
    EtatAppel.EN_EVALUATION,
)


def ajouter_membre(jury, *, par, email, structure=None, commune=None):
    """Ajoute un membre au jury. Un compte existant à cette adresse est rattaché (et reçoit le
    rôle de membre du jury) ; sinon une invitation part (parcours d'invitation des comptes).
    Refusé (action impossible) dès la délibération ouverte, l'étape relue sous le verrou de
    l'appel.

    Journalise « membre du jury ajouté ». Renvoie le membre.
    """
    _exiger(par, "evaluation.gerer_jury", jury.appel)
    email = get_user_model().objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        appel = _verrouiller_appel(jury.appel_id)
        if appel.etat not in ETATS_APPEL_JURY_OUVERT:
            raise ActionImpossible(
                gettext(
                    "Le jury ne s'agrandit plus : l'appel est « %(etat)s ». "
                    "Un membre s'ajoute jusqu'à l'ouverture de la délibération."
                )
                % {"etat": appel.get_etat_display()}
            )
        jury = Jury.objects.select_for_update().get(pk=jury.pk)
        if jury.membres.filter(email=email).exists():
            raise DonneesRefusees(gettext("%(email)s fait déjà partie du jury.") % {"email": email})
        utilisateur = get_user_model().objects.filter(email__iexact=email).first()
        membre = MembreJury.objects.create(
            jury=jury, email=email, utilisateur=utilisateur, structure=structure, commune=commune
        )
        if utilisateur is not None:
            utilisateur.groups.add(Group.objects.get_or_create(name=Role.MEMBRE_JURY)[0])
        else:
            inviter(email=email, role=Role.MEMBRE_JURY, programme=jury.appel.programme, par=par)
        journaliser(
            TypeEvenement.MEMBRE_JURY_AJOUTE,
            cible=jury.appel,
            acteur=par,
            donnees={"membre": membre.pk, "email": email, "invite": utilisateur is None},
        )
    return membre


def rattacher_au_compte(utilisateur):
    """Rattache à ce compte les sièges de jury ouverts à son adresse avant qu'il existe."""
    if not utilisateur.is_authenticated:
        return 0
    nombre = MembreJury.objects.filter(
        utilisateur__isnull=True, email__iexact=utilisateur.email
    ).update(utilisateur=utilisateur)
    if nombre:
        oublier_sieges(utilisateur)
    return nombre


# --- Affectations ----------------------------------------------------------------------------


def _exclusions(jury, candidatures, membres):
    """Les couples (membre, candidature) à ne jamais affecter automatiquement : conflit
    déclaré, ou conflit suggéré que le membre n'a pas écarté."""
    declarations = {
        (d.membre_id, d.candidature_id): d.en_conflit
        for d in ConflitInterets.objects.filter(membre__jury=jury)
    }
    exclus = set()
    for membre in membres:
        for candidature in candidatures:
            declaration = declarations.get((membre.pk, candidature.pk))
            if declaration is True or (
                declaration is None and selectors.est_conflit_suggere(membre, candidature)
            ):
                exclus.add((membre.pk, candidature.pk))
    return exclus


def repartition_equilibree(membres, candidatures, *, par_candidature, exclus, gardees=()):
    """{id de candidature: [ids de membres]} : `par_candidature` membres par candidature en
    comptant les couples (membre, candidature) `gardees` (déjà notés, ils restent), jamais un
    couple exclu, la charge la plus égale possible entre membres, charges gardées comprises.

    Glouton déterministe : les candidatures les plus contraintes d'abord (le moins de membres
    possibles au regard des places à pourvoir), puis par id ; pour chacune, les membres les
    moins chargés, départagés par une rotation qui évite de réunir toujours les mêmes. Puis
    des déplacements d'une affectation nouvelle du membre le plus chargé vers un membre
    moins chargé d'au moins deux, tant qu'il en existe : sans exclusion ni couple gardé,
    l'écart de charge entre membres ne dépasse jamais 1. Une candidature qui n'a pas assez
    de membres possibles en reçoit moins (voir `candidatures_sous_couvertes`).
    """
    ids_membres = sorted(m.pk for m in membres)
    nombre_membres = len(ids_membres)
    rang_membre = {m: rang for rang, m in enumerate(ids_membres)}
    charge = dict.fromkeys(ids_membres, 0)
    deja = {}
    for id_membre, id_candidature in gardees:
        deja.setdefault(id_candidature, []).append(id_membre)
        if id_membre in charge:
            charge[id_membre] += 1
    possibles = {
        c.pk: [m for m in ids_membres if (m, c.pk) not in exclus and m not in deja.get(c.pk, ())]
        for c in candidatures
    }
    manque = {c.pk: max(0, par_candidature - len(deja.get(c.pk, ()))) for c in candidatures}
    ordre = sorted(possibles, key=lambda c: (len(possibles[c]) - manque[c], c))
    nouvelles = {}
    for rang, id_candidature in enumerate(ordre):
        candidats = sorted(
            possibles[id_candidature],
            key=lambda m: (charge[m], (rang_membre[m] - rang) % nombre_membres),
        )
        choisis = candidats[: manque[id_candidature]]
        for m in choisis:
            charge[m] += 1
        nouvelles[id_candidature] = set(choisis)

    # Rééquilibrage : tant qu'un membre a au moins deux affectations de plus qu'un autre et
    # qu'une chaîne de cessions les relie (A cède une candidature nouvelle à B, qui peut la
    # prendre, B en cède une à C...), la chaîne est appliquée : A perd une affectation, C en
    # gagne une, les autres gardent leur charge. Chaque chaîne réduit la somme des carrés des
    # charges : la boucle finit, et sans chaîne possible les charges sont les plus égales
    # que permettent les exclusions et les affectations gardées.
    def chaine_depuis(depart):
        precedent = {depart: None}
        file = [depart]
        for membre in file:
            for id_candidature in ordre:
                choisis = nouvelles[id_candidature]
                if membre not in choisis:
                    continue
                for suivant in possibles[id_candidature]:
                    if suivant in precedent or suivant in choisis:
                        continue
                    precedent[suivant] = (membre, id_candidature)
                    if charge[suivant] <= charge[depart] - 2:
                        cessions = []
                        while precedent[suivant] is not None:
                            cedant, id_cedee = precedent[suivant]
                            cessions.append((cedant, suivant, id_cedee))
                            suivant = cedant
                        return cessions
                    file.append(suivant)
        return None

    while True:
        for lourd in sorted(ids_membres, key=lambda m: (-charge[m], rang_membre[m])):
            cessions = chaine_depuis(lourd)
            if cessions:
                break
        else:
            break
        for cedant, preneur, id_candidature in cessions:
            nouvelles[id_candidature].remove(cedant)
            nouvelles[id_candidature].add(preneur)
        charge[lourd] -= 1
        charge[cessions[0][1]] += 1
    return {c.pk: sorted([*deja.get(c.pk, ()), *nouvelles[c.pk]]) for c in candidatures}


def _affectations_sans_evaluation(jury):
    return Affectation.objects.filter(membre__jury=jury, evaluation__isnull=True)


@dataclass(frozen=True)
class Repartition:
    """Ce que `affecter` a fait : `candidatures`, {id de candidature: [ids de membres]}
    réparti, affectations déjà notées comprises ; `gardees`, les affectations déjà notées
    au-delà du nombre de membres voulu pour leur candidature (les premières notées comptent
    d'abord), qui restent parce que le membre y a commencé à noter ; `sous_couvertes`, les
    candidatures qui n'ont pas leur nombre de membres faute de membres sans conflit :
    (candidature, nombre obtenu, nombre voulu)."""

    candidatures: dict
    gardees: tuple
    sous_couvertes: tuple = ()


def _exiger_etape_des_affectations(appel):
    """Les affectations changent une fois l'appel clos, jusqu'à la délibération ; l'étape est
    celle relue sous le verrou de l'appel."""
    if appel.etat not in (EtatAppel.CLOS, EtatAppel.EN_EVALUATION):
        raise ActionImpossible(
            gettext("Les candidatures s'affectent une fois l'appel clos, avant la délibération.")
        )


def affecter(jury, *, par, mode, par_candidature=None):
    """Affecte les candidatures recevables : à tous les membres (`tous`) ou, en
    `automatique`, à `par_candidature` membres chacune par la répartition équilibrée.

    Les affectations déjà notées restent et comptent : en automatique, chaque candidature
    reçoit ce qui lui manque pour atteindre `par_candidature`, et les charges s'égalisent en
    comptant ce que chaque membre a déjà noté ; les affectations sans note sont refaites.
    Celles notées au-delà du nombre voulu sont rendues dans `gardees` ; les candidatures
    qui n'ont pas assez de membres sans conflit, dans `sous_couvertes`. Le verrou de
    l'appel, pris d'abord comme par les notes, attend celles en cours d'écriture, et tout se
    relit après lui : une première note passe avant (son affectation reste et compte) ou
    après (elle trouve la nouvelle répartition). Journalise « affectations réparties » avec
    la charge de chacun, les affectations gardées et les candidatures sous-couvertes.
    Renvoie une `Repartition`.
    """
    from evaluation.enums import ModeAffectation

    _exiger(par, "evaluation.gerer_jury", jury.appel)
    with transaction.atomic():
        appel = _verrouiller_appel(jury.appel_id)
        jury = Jury.objects.select_for_update(of=("self",)).get(pk=jury.pk)
        jury.appel = appel
        _exiger_etape_des_affectations(appel)
        membres = list(jury.membres.select_related("utilisateur"))
        candidatures = list(
            Candidature.objects.filter(appel=appel, etat=EtatCandidature.RECEVABLE)
            .select_related("structure")
            .order_by("pk")
        )
        if not membres:
            raise ActionImpossible(gettext("Le jury n'a encore aucun membre."))
        if not candidatures:
            raise ActionImpossible(gettext("Aucune candidature recevable à affecter."))
        exclus = _exclusions(jury, candidatures, membres)
        # Les premières notées d'abord : ce sont elles qui comptent dans le nombre voulu.
        notees = list(
            Affectation.objects.filter(membre__jury=jury, evaluation__isnull=False)
            .select_related("membre__utilisateur", "candidature__structure")
            .order_by("evaluation__pk")
        )
        deja = {(a.membre_id, a.candidature_id) for a in notees}
        if mode == ModeAffectation.AUTOMATIQUE:
            par_candidature = par_candidature or jury.membres_par_candidature
            if par_candidature > len(membres):
                raise DonneesRefusees(
                    ngettext(
                        "Le jury compte %(nombre)s membre : "
                        "impossible d'en affecter %(par_candidature)s par candidature.",
                        "Le jury compte %(nombre)s membres : "
                        "impossible d'en affecter %(par_candidature)s par candidature.",
                        len(membres),
                    )
                    % {"nombre": len(membres), "par_candidature": par_candidature}
                )
            ids_recevables = {c.pk for c in candidatures}
            repartition = repartition_equilibree(
                membres,
                candidatures,
                par_candidature=par_candidature,
                exclus=exclus,
                gardees=[(m, c) for m, c in deja if c in ids_recevables],
            )
            comptees = {}
            gardees = []
            for a in notees:
                comptees[a.candidature_id] = comptees.get(a.candidature_id, 0) + 1
                if comptees[a.candidature_id] > par_candidature:
                    gardees.append(a)
            sous_couvertes = tuple(
                (c, len(repartition[c.pk]), par_candidature)
                for c in sorted(candidatures, key=lambda c: (c.structure.nom, c.pk))
                if len(repartition[c.pk]) < par_candidature
            )
        else:
            repartition = {
                c.pk: [m.pk for m in membres if (m.pk, c.pk) not in exclus] for c in candidatures
            }
            voulues = {(m, c) for c, ids in repartition.items() for m in ids}
            gardees = [a for a in notees if (a.membre_id, a.candidature_id) not in voulues]
            sous_couvertes = ()
        gardees = tuple(
            sorted(gardees, key=lambda a: (a.candidature.structure.nom, a.membre.email))
        )
        _affectations_sans_evaluation(jury).delete()
        origine = (
            OrigineAffectation.AUTOMATIQUE
            if mode == ModeAffectation.AUTOMATIQUE
            else OrigineAffectation.MANUELLE
        )
        Affectation.objects.bulk_create(
            Affectation(membre_id=m, candidature_id=c, origine=origine)
            for c, ids in repartition.items()
            for m in ids
            if (m, c) not in deja
        )
        jury.mode_affectation = mode
        update = ["mode_affectation"]
        if par_candidature and mode == ModeAffectation.AUTOMATIQUE:
            jury.membres_par_candidature = par_candidature
            update.append("membres_par_candidature")
        jury.save(update_fields=update)
        charges = {str(m.pk): 0 for m in membres}
        for membre_id in Affectation.objects.filter(membre__jury=jury).values_list(
            "membre_id", flat=True
        ):
            charges[str(membre_id)] += 1
        journaliser(
            TypeEvenement.AFFECTATIONS_REPARTIES,
            cible=appel,
            acteur=par,
            donnees={
                "mode": mode,
                "par_candidature": par_candidature,
                "charges": charges,
                "gardees": [[a.membre_id, a.candidature_id] for a in gardees],
                "sous_couvertes": [[c.pk, obtenus] for c, obtenus, _ in sous_couvertes],
            },
        )
    return Repartition(candidatures=repartition, gardees=gardees, sous_couvertes=sous_couvertes)


def affecter_a_la_main(membre, candidature, *, par):
    """Ajoute une affectation ; refusée si le membre a déclaré un conflit. Journalisé."""
    _exiger(par, "evaluation.gerer_jury", candidature.appel)
    with transaction.atomic():
        appel = _verrouiller_appel(candidature.appel_id)
        _exiger_etape_des_affectations(appel)
        membre = MembreJury.objects.select_for_update().get(pk=membre.pk)
        candidature = Candidature.objects.select_related("structure").get(pk=candidature.pk)
        if membre.jury.appel_id != candidature.appel_id:
            raise DonneesRefusees(gettext("Ce membre ne fait pas partie du jury de cet appel."))
        if candidature.etat != EtatCandidature.RECEVABLE:
            raise ActionImpossible(gettext("Seule une candidature recevable s'affecte au jury."))
        if ConflitInterets.objects.filter(
            membre=membre, candidature=candidature, en_conflit=True
        ).exists():
            raise ActionImpossible(
                gettext("%(membre)s a déclaré un conflit d'intérêts avec %(nom)s.")
                % {"membre": membre, "nom": candidature.structure.nom}
            )
        affectation, cree = Affectation.objects.get_or_create(
            membre=membre, candidature=candidature
        )
        if cree:
            journaliser(
                TypeEvenement.AFFECTATION_AJOUTEE,
                cible=candidature,
                acteur=par,
                donnees={"membre": membre.pk},
            )
    return affectation


def retirer_affectation(affectation, *, par):
    """Retire une affectation qui ne porte encore aucune note. Journalisé."""
    _exiger(par, "evaluation.gerer_jury", affectation.candidature.appel)
    with transaction.atomic():
        appel = _verrouiller_appel(affectation.candidature.appel_id)
        _exiger_etape_des_affectations(appel)
        affectation = Affectation.objects.select_for_update().get(pk=affectation.pk)
        if Evaluation.objects.filter(affectation=affectation).exists():
            raise ActionImpossible(
                gettext(
                    "Ce membre a déjà commencé à noter cette candidature : l'affectation reste."
                )
            )
        journaliser(
            TypeEvenement.AFFECTATION_RETIREE,
            cible=affectation.candidature,
            acteur=par,
            donnees={"membre": affectation.membre_id},
        )
        affectation.delete()


# --- Étapes de l'appel -----------------------------------------------------------------------


def lancer_evaluation(appel, *, par, motif=""):
    """Passe l'appel de « clos » à « en évaluation » : le jury peut déclarer et noter.

    Exige un jury avec au moins un membre, une grille et une date limite de notation.
    La transition est journalisée (django-fsm-log) ; les avis d'affectation partent par les
    relances.
    """
    with transaction.atomic():
        appel = _verrouiller_appel(appel.pk)
        _exiger(par, "candidatures.gerer_appel", appel)
        if not can_proceed(appel.lancer_evaluation, check_conditions=False):
            raise ActionImpossible(
                gettext("Impossible de lancer l'évaluation : l'appel est « %(etat)s ».")
                % {"etat": appel.get_etat_display()}
            )
        jury = Jury.objects.filter(appel=appel).first()
        manques = []
        if jury is None or not jury.membres.exists():
            manques.append(gettext("le jury n'a aucun membre"))
        if jury is not None and jury.date_limite_notation is None:
            manques.append(gettext("la date limite de notation n'est pas fixée"))
        if not Critere.objects.filter(grille__appel=appel).exists():
            manques.append(gettext("la grille n'a aucun critère"))
        if jury is not None and not Affectation.objects.filter(membre__jury=jury).exists():
            manques.append(gettext("aucune candidature n'est affectée"))
        if manques:
            raise ActionImpossible(
                gettext("Impossible de lancer l'évaluation : %(manques)s.")
                % {"manques": gettext(" ; ").join(manques)}
            )
        appel.lancer_evaluation(by=par, description=motif or None)
        appel.save(update_fields=["etat"])
    return appel


def ouvrir_deliberation(appel, *, par, motif=""):
    """Passe l'appel « en délibération » : les notes se figent, le classement sert la séance.

    Le verrou de l'appel attend la fin des notes et déclarations en cours ; celles qui
    arrivent ensuite trouvent l'appel en délibération et sont refusées."""
    with transaction.atomic():
        appel = _verrouiller_appel(appel.pk)
        _exiger(par, "candidatures.gerer_appel", appel)
        if not can_proceed(appel.ouvrir_deliberation, check_conditions=False):
            raise ActionImpossible(
                gettext("Impossible d'ouvrir la délibération : l'appel est « %(etat)s ».")
                % {"etat": appel.get_etat_display()}
            )
        appel.ouvrir_deliberation(by=par, description=motif or None)
        appel.save(update_fields=["etat"])
        Deliberation.objects.get_or_create(appel=appel)
    return appel


# --- Côté membre : conflits et notes ---------------------------------------------------------

EVALUATION_PAS_COMMENCEE = gettext_noop(
    "L'évaluation de cet appel n'a pas encore commencé : vous pourrez déclarer vos conflits "
    "d'intérêts puis noter dès que le gestionnaire l'aura lancée."
)
REFUS_DECLARATION = gettext_noop(
    "Vous ne pouvez pas déclarer de conflit sur cette candidature (elle ne vous est pas "
    "confiée, ou la notation est close)."
)
REFUS_NOTATION = gettext_noop(
    "Vous ne pouvez pas noter cette candidature (conflit non déclaré, conflit d'intérêts, ou "
    "notation close)."
)


# Un membre du jury à qui la candidature a été retirée (une page restée ouverte) : il l'a
# lue, mais le refus n'en montre rien, pas même le nom.
PLUS_CONFIEE_NOTES = gettext_noop(
    "Cette candidature ne vous est plus confiée : vos notes n'ont pas été enregistrées."
)
PLUS_CONFIEE_DECLARATION = gettext_noop(
    "Cette candidature ne vous est plus confiée : votre déclaration n'a pas été enregistrée."
)


def _refus_sans_siege(candidature, utilisateur, *, plus_confiee, refus):
    """Le refus d'un compte qui n'a pas (ou plus) de siège sur la candidature : un membre du
    jury de l'appel apprend qu'elle ne lui est plus confiée (action impossible) ; un autre
    compte reçoit le refus de droit."""
    if selectors.siege_au_jury_de(utilisateur, candidature_id=candidature.pk):
        return ActionImpossible(gettext(plus_confiee))
    return ActionNonPermise(gettext(refus))


def message_recusation(candidature):
    """Le refus montré à un membre qui a déclaré un conflit et tente de noter."""
    return gettext(
        "Vous avez déclaré un conflit d'intérêts avec %(nom)s : vous ne "
        "pouvez pas noter cette candidature, et aucune de vos notes n'y compte."
    ) % {"nom": candidature.structure.nom}


def _siege(candidature, utilisateur):
    return (
        Affectation.objects.select_for_update(of=("self",))
        .select_related("membre")
        .filter(membre__utilisateur=utilisateur, candidature=candidature)
        .first()
    )


def _verrouiller_siege(candidature, utilisateur):
    """Pose les verrous dans l'ordre commun (l'appel, puis l'affectation du membre) et relit
    après eux tout ce qui fonde le droit du membre : l'état de l'appel, sa déclaration, ses
    sièges (les règles les relisent, le cache du compte est vidé).

    Renvoie (candidature portant l'appel verrouillé, affectation ou None, déclaration ou None).
    """
    appel = _verrouiller_appel(candidature.appel_id)
    candidature = Candidature.objects.select_related("structure").get(pk=candidature.pk)
    candidature.appel = appel
    affectation = _siege(candidature, utilisateur)
    declaration = None
    if affectation is not None:
        declaration = ConflitInterets.objects.filter(
            membre_id=affectation.membre_id, candidature=candidature
        ).first()
    oublier_sieges(utilisateur)
    return candidature, affectation, declaration


def declarer_conflit(candidature, *, par, en_conflit, type_conflit="", precision=""):
    """Enregistre la déclaration du membre sur cette candidature, pendant la notation.

    Un conflit efface les notes éventuelles du membre sur la candidature (brouillon ou
    validées) : elles ne comptent plus, et le journal de la déclaration dit ce qui a été
    effacé (`notes_effacees` : état et total sur 20). Un conflit déclaré ne se retire pas.
    """
    if en_conflit and type_conflit not in TypeConflit.values:
        raise DonneesRefusees(gettext("Précisez le type de conflit d'intérêts."))
    with transaction.atomic():
        candidature, affectation, declaration = _verrouiller_siege(candidature, par)
        if affectation is None:
            raise _refus_sans_siege(
                candidature, par, plus_confiee=PLUS_CONFIEE_DECLARATION, refus=REFUS_DECLARATION
            )
        appel = candidature.appel
        if appel.etat in selectors.ETATS_APPEL_AVANT_EVALUATION:
            raise ActionImpossible(gettext(EVALUATION_PAS_COMMENCEE))
        if appel.etat != EtatAppel.EN_EVALUATION:
            raise ActionImpossible(
                gettext(
                    "Les conflits d'intérêts se déclarent pendant la notation : l'appel est "
                    "« %(etat)s »."
                )
                % {"etat": appel.get_etat_display()}
            )
        _exiger(par, "evaluation.declarer_conflit", candidature, REFUS_DECLARATION)
        if declaration is not None and declaration.en_conflit and not en_conflit:
            raise ActionImpossible(
                gettext("Votre conflit d'intérêts avec %(nom)s est déclaré : il ne se retire pas.")
                % {"nom": candidature.structure.nom}
            )
        declaration, _ = ConflitInterets.objects.update_or_create(
            membre=affectation.membre,
            candidature=candidature,
            defaults={
                "en_conflit": en_conflit,
                "type": type_conflit if en_conflit else "",
                "precision": precision.strip() if en_conflit else "",
                "declare_le": timezone.now(),
            },
        )
        donnees = {"membre": affectation.membre_id, "type": declaration.type}
        evaluation = Evaluation.objects.filter(affectation=affectation).first()
        if en_conflit and evaluation is not None:
            donnees["notes_effacees"] = {
                "etat": evaluation.etat,
                "total_sur_20": evaluation.total_sur_20,
            }
            evaluation.delete()
        journaliser(
            TypeEvenement.CONFLIT_DECLARE if en_conflit else TypeEvenement.ABSENCE_CONFLIT_DECLAREE,
            cible=candidature,
            acteur=par,
            motif=declaration.precision,
            donnees=donnees,
        )
    oublier_sieges(par)
    return declaration


def _total_sur_20(evaluation):
    """Σ(note / maximum × poids) / Σ poids × 20, calculé en SQL sur les notes."""
    valeur = Cast(F("valeur"), FloatField())
    sommes = Note.objects.filter(evaluation=evaluation).aggregate(
        pondere=Sum(valeur * F("critere__poids") / F("critere__maximum")),
        poids=Sum("critere__poids"),
    )
    if not sommes["poids"]:
        return None
    return sommes["pondere"] / sommes["poids"] * 20


def enregistrer_notes(candidature, *, par, notes, commentaire="", valider=False):
    """Enregistre les notes du membre (brouillon), et les valide si `valider`.

    `notes` : {id de critère: (valeur ou None, commentaire)}. Un brouillon peut être
    incomplet ; la validation exige une note par critère. Des notes validées enregistrées
    en brouillon repassent en brouillon (transition journalisée) et ne comptent plus.
    Toute valeur hors de 0..maximum est refusée sans rien écrire. Modifiable jusqu'à la
    date limite, même validée, tant que l'appel est en évaluation. Refusé (action
    impossible) une fois l'appel passé à une autre étape, ou si le membre a déclaré un
    conflit sur la candidature, l'un et l'autre relus sous les verrous. Journalise
    l'enregistrement (et la validation par django-fsm-log).
    """
    with transaction.atomic():
        candidature, affectation, declaration = _verrouiller_siege(candidature, par)
        if affectation is None:
            raise _refus_sans_siege(
                candidature, par, plus_confiee=PLUS_CONFIEE_NOTES, refus=REFUS_NOTATION
            )
        appel = candidature.appel
        if appel.etat != EtatAppel.EN_EVALUATION:
            raise ActionImpossible(
                gettext(
                    "La notation est close : l'appel est « %(etat)s », les notes ne changent plus."
                )
                % {"etat": appel.get_etat_display()}
            )
        if declaration is not None and declaration.en_conflit:
            raise ActionImpossible(message_recusation(candidature))
        _exiger(par, "evaluation.noter", candidature, REFUS_NOTATION)
        criteres = list(Critere.objects.filter(grille__appel=candidature.appel))
        erreurs = []
        propres = {}
        for critere in criteres:
            valeur, commentaire_note = notes.get(critere.pk, (None, ""))
            if valeur is None:
                if valider:
                    erreurs.append(
                        gettext("« %(critere)s » : la note manque.") % {"critere": critere.libelle}
                    )
                continue
            if not 0 <= valeur <= critere.maximum:
                erreurs.append(
                    gettext("« %(critere)s » : la note doit être entre 0 et %(maximum)s.")
                    % {"critere": critere.libelle, "maximum": critere.maximum}
                )
                continue
            propres[critere.pk] = (valeur, (commentaire_note or "").strip())
        if erreurs:
            raise DonneesRefusees(" ".join(erreurs))
        evaluation, _ = Evaluation.objects.select_for_update().get_or_create(
            affectation=affectation
        )
        evaluation.commentaire = commentaire.strip()
        Note.objects.filter(evaluation=evaluation).exclude(critere_id__in=propres).delete()
        for critere_id, (valeur, commentaire_note) in propres.items():
            Note.objects.update_or_create(
                evaluation=evaluation,
                critere_id=critere_id,
                defaults={"valeur": valeur, "commentaire": commentaire_note},
            )
        evaluation.total_sur_20 = _total_sur_20(evaluation)
        evaluation.save(update_fields=["commentaire", "total_sur_20", "modifiee_le"])
        if valider and evaluation.etat == EtatEvaluation.BROUILLON:
            evaluation.valider(by=par, description="Notes validées")
            evaluation.save(update_fields=["etat", "validee_le"])
        elif not valider and evaluation.etat == EtatEvaluation.VALIDEE:
            # Un brouillon enregistré est un brouillon : ses notes ne comptent plus tant
            # qu'elles ne sont pas validées de nouveau.
            evaluation.repasser_en_brouillon(by=par, description="Notes repassées en brouillon")
            evaluation.save(update_fields=["etat", "validee_le"])
        journaliser(
            TypeEvenement.NOTES_ENREGISTREES,
            cible=candidature,
            acteur=par,
            donnees={"membre": affectation.membre_id, "etat": evaluation.etat},
        )
    oublier_sieges(par)
    return evaluation


# --- Délibération ----------------------------------------------------------------------------


def _exiger_deliberation_ouverte(appel, par):
    """Un gestionnaire d'un autre programme : refus de droit ; le bon gestionnaire hors de la
    délibération (déjà publiée, pas encore ouverte) : action impossible dans cet état."""
    _exiger(par, "evaluation.gerer_jury", appel)
    if not par.has_perm("evaluation.deliberer", appel):
        raise ActionImpossible(
            gettext("La délibération n'est pas ouverte : l'appel est « %(etat)s ».")
            % {"etat": appel.get_etat_display()}
        )


SEANCE_DANS_LE_FUTUR = gettext_noop(
    "La séance ne peut pas être datée dans le futur : enregistrez-la une fois tenue."
)


def enregistrer_seance(appel, *, par, date, presents, quorum, proces_verbal):
    """Enregistre la date, les présents, le quorum et le procès-verbal, et relève les
    récusations : chaque présent en conflit avec une candidature (déclaré, ou attache connue
    qu'il n'a pas écartée) ne prend pas part à sa décision. Journalisé, avec les récusations.

    Refusé (données refusées) pour une séance datée dans le futur ; refusé (action
    impossible) si la délibération n'est pas ouverte : l'étape se relit sous le verrou de
    l'appel, qui attend une publication en cours ; la séance et le procès-verbal publiés ne
    se réécrivent pas."""
    _exiger(par, "evaluation.gerer_jury", appel)
    if date is not None and date > timezone.now():
        raise DonneesRefusees(gettext(SEANCE_DANS_LE_FUTUR))
    with transaction.atomic():
        appel = _verrouiller_appel(appel.pk)
        _exiger_deliberation_ouverte(appel, par)
        deliberation = Deliberation.objects.select_for_update().get(appel=appel)
        if any(membre.jury.appel_id != appel.pk for membre in presents):
            raise DonneesRefusees(gettext("Un des présents ne fait pas partie du jury."))
        deliberation.date = date
        deliberation.quorum = quorum
        deliberation.proces_verbal = proces_verbal.strip()
        deliberation.save(update_fields=["date", "quorum", "proces_verbal"])
        deliberation.membres_presents.set(presents)
        recusations = selectors.recusations_des_presents(appel, presents)
        Recusation.objects.filter(deliberation=deliberation).delete()
        Recusation.objects.bulk_create(
            Recusation(
                deliberation=deliberation, membre=membre, candidature=candidature, motif=motif
            )
            for membre, candidature, motif in recusations
        )
        journaliser(
            TypeEvenement.SEANCE_ENREGISTREE,
            cible=appel,
            acteur=par,
            donnees={
                "presents": sorted(membre.pk for membre in presents),
                "quorum": quorum,
                "recusations": [
                    [membre.pk, candidature.pk] for membre, candidature, _ in recusations
                ],
            },
        )
    return deliberation


MOTIF_ECART = gettext_noop("La décision s'écarte de l'ordre du classement : indiquez un motif.")
MOTIF_NON_RETENUE = gettext_noop(
    "Indiquez pourquoi la candidature n'est pas retenue : le motif figure dans la lettre "
    "envoyée à la structure."
)


def motifs_manquants(appel, decisions, *, lignes=None):
    """{id de candidature: message à afficher près du champ} pour chaque décision dont le
    motif obligatoire manque : une décision qui s'écarte du classement, ou une candidature
    non retenue quand le jury de l'appel exige un motif (réglage « exiger un motif pour
    chaque candidature non retenue »)."""
    lignes = selectors.classement(appel) if lignes is None else lignes
    sens = {pk: valeur[0] for pk, valeur in decisions.items() if valeur[0]}
    ecarts = selectors.ecarts_au_classement(lignes, sens)
    jury = Jury.objects.filter(appel_id=appel.pk).first()
    exiger_non_retenue = jury is not None and jury.motif_obligatoire_non_retenue
    manquants = {}
    for pk, (valeur, motif) in decisions.items():
        if (motif or "").strip():
            continue
        if pk in ecarts:
            manquants[pk] = gettext(MOTIF_ECART)
        elif valeur == SensDecision.NON_RETENUE and exiger_non_retenue:
            manquants[pk] = gettext(MOTIF_NON_RETENUE)
    return manquants


def problemes_des_decisions(
    appel, decisions, *, motif_depassement, depasser_places=True, exiger_toutes=False
):
    """Les refus, en phrases, d'un jeu de décisions {id de candidature: (sens, motif)}.

    Motif obligatoire pour toute décision qui s'écarte du classement, et pour une candidature
    non retenue si le jury l'exige ; motif de dépassement obligatoire si plus de candidatures
    sont retenues que de places, avec la case « dépasser » cochée (`depasser_places` ; à la
    publication, le motif enregistré en tient lieu). Renvoie aussi le nombre de retenues et
    l'ensemble des candidatures qui s'écartent du classement.
    """
    lignes = selectors.classement(appel)
    noms = {ligne.candidature.pk: ligne.candidature.structure.nom for ligne in lignes}
    problemes = []
    inconnues = set(decisions) - set(noms)
    if inconnues:
        problemes.append(
            gettext("Une décision porte sur une candidature que le jury n'examine pas.")
        )
    sens = {pk: valeur[0] for pk, valeur in decisions.items() if pk in noms and valeur[0]}
    if exiger_toutes:
        manquantes = [nom for pk, nom in noms.items() if pk not in sens]
        if manquantes:
            problemes.append(
                gettext("Décision à prendre pour : %(noms)s.")
                % {"noms": ", ".join(sorted(manquantes))}
            )
    ecarts = selectors.ecarts_au_classement(lignes, sens)
    manquants = motifs_manquants(
        appel, {pk: valeur for pk, valeur in decisions.items() if pk in noms}, lignes=lignes
    )
    for pk in sorted(manquants, key=lambda pk: noms[pk]):
        if manquants[pk] == gettext(MOTIF_ECART):
            problemes.append(
                gettext(
                    "%(nom)s : la décision s'écarte de l'ordre du classement, "
                    "un motif est obligatoire."
                )
                % {"nom": noms[pk]}
            )
        else:
            problemes.append(
                gettext("%(nom)s : non retenue, le motif est obligatoire.") % {"nom": noms[pk]}
            )
    retenues = sum(1 for valeur in sens.values() if valeur == SensDecision.RETENUE)
    if appel.nombre_places is not None and retenues > appel.nombre_places:
        if not depasser_places:
            problemes.append(
                gettext(
                    "%(retenues)s candidatures retenues pour %(places)s places : cochez "
                    "« Dépasser le nombre de places de l'appel » et indiquez pourquoi."
                )
                % {"retenues": retenues, "places": appel.nombre_places}
            )
        elif not (motif_depassement or "").strip():
            problemes.append(
                gettext(
                    "%(retenues)s candidatures retenues pour %(places)s places : "
                    "indiquez le motif du dépassement."
                )
                % {"retenues": retenues, "places": appel.nombre_places}
            )
    return problemes, retenues, ecarts


def enregistrer_decisions(appel, *, par, decisions, motif_depassement="", depasser_places=False):
    """Enregistre (sans les appliquer) les décisions de la délibération.

    `decisions` : {id de candidature: (SensDecision ou "", motif)} ; "" efface la décision.
    Plus de retenues que de places demande `depasser_places` et son motif ; sans
    dépassement, le motif n'est pas gardé.
    Refusé en bloc si un motif obligatoire manque, et (action impossible) si la délibération
    n'est pas ouverte : l'étape se relit sous le verrou de l'appel, qui attend une
    publication en cours. Journalisé.
    """
    _exiger(par, "evaluation.gerer_jury", appel)
    with transaction.atomic():
        appel = _verrouiller_appel(appel.pk)
        _exiger_deliberation_ouverte(appel, par)
        deliberation = Deliberation.objects.select_for_update().get(appel=appel)
        problemes, retenues, _ = problemes_des_decisions(
            appel,
            decisions,
            motif_depassement=motif_depassement,
            depasser_places=depasser_places,
        )
        if problemes:
            raise DonneesRefusees(" ".join(problemes))
        for candidature_id, (sens, motif) in decisions.items():
            if not sens:
                Decision.objects.filter(candidature_id=candidature_id).delete()
                continue
            Decision.objects.update_or_create(
                candidature_id=candidature_id,
                defaults={"deliberation": deliberation, "sens": sens, "motif": motif.strip()},
            )
        depasse = appel.nombre_places is not None and retenues > appel.nombre_places
        deliberation.motif_depassement = motif_depassement.strip() if depasse else ""
        deliberation.save(update_fields=["motif_depassement"])
        journaliser(
            TypeEvenement.DECISIONS_ENREGISTREES,
            cible=appel,
            acteur=par,
            donnees={"retenues": retenues, "decisions": len(decisions)},
        )
    return deliberation


def _creer_plan_si_disponible(candidature, *, par):
    """Crée le plan d'accompagnement du lauréat si l'application d'accompagnement le permet."""
    try:
        services_accompagnement = importlib.import_module("accompagnement.services")
    except ImportError:
        return
    creer_plan_pour = getattr(services_accompagnement, "creer_plan_pour", None)
    if creer_plan_pour is not None:
        creer_plan_pour(candidature, par=par)


def message_quorum_non_atteint(presents, quorum):
    if presents == 0:
        return gettext(
            "Quorum non atteint : 0 membre présent pour un quorum de %(quorum)s. "
            "Les résultats ne se publient pas ; enregistrez les présents de la séance."
        ) % {"quorum": quorum}
    return ngettext(
        "Quorum non atteint : %(presents)s membre présent pour un quorum de %(quorum)s. "
        "Les résultats ne se publient pas ; enregistrez les présents de la séance.",
        "Quorum non atteint : %(presents)s membres présents pour un quorum de %(quorum)s. "
        "Les résultats ne se publient pas ; enregistrez les présents de la séance.",
        presents,
    ) % {"presents": presents, "quorum": quorum}


def _garder_la_lettre(candidature, decision, *, ligne, motif_promotion=""):
    """Édite la lettre de décision, la garde sur la décision (la structure et les
    gestionnaires la retrouvent sur la page de la candidature) et renvoie ses octets, joints
    au courriel. Après une promotion, la nouvelle lettre (retenue) remplace sur la page celle
    de la liste d'attente, qui reste jointe au premier courriel."""
    jury = Jury.objects.filter(appel_id=candidature.appel_id).first()
    # Une seule lettre, gardée et envoyée à toute la structure : dans la langue du site, pas
    # dans celle du gestionnaire qui publie.
    with translation.override(settings.LANGUAGE_CODE):
        pdf = lettres.lettre_decision_pdf(
            candidature, decision, ligne=ligne, jury=jury, motif_promotion=motif_promotion
        )
    decision.lettre.save(lettres.nom_lettre(candidature), ContentFile(pdf), save=False)
    decision.lettre_editee_le = timezone.now()
    decision.save(update_fields=["lettre", "lettre_editee_le"])
    return pdf


def publier_resultats(appel, *, par):
    """Applique toutes les décisions d'un coup et clôt la délibération.

    Dans une transaction : chaque candidature passe par sa transition (retenue, liste
    d'attente, non retenue ; journalisée par django-fsm-log avec le motif), les lauréats
    reçoivent leur plan d'accompagnement, la liste d'attente est ordonnée par le classement,
    chaque structure reçoit sa lettre de décision en PDF (gardée aussi sur la décision, à
    télécharger depuis la page de la candidature), et l'appel passe à « décidé ».
    Refusé sans rien écrire s'il manque une décision ou un motif, ou (action impossible) si
    les présents enregistrés pour la séance n'atteignent pas le quorum.
    """
    _exiger_deliberation_ouverte(appel, par)
    with transaction.atomic():
        appel = _verrouiller_appel(appel.pk)
        deliberation = Deliberation.objects.select_for_update().get(appel=appel)
        if deliberation.est_publiee or appel.etat != EtatAppel.EN_DELIBERATION:
            raise ActionImpossible(gettext("Les résultats sont déjà publiés."))
        presents = deliberation.membres_presents.count()
        if presents < deliberation.quorum:
            raise ActionImpossible(message_quorum_non_atteint(presents, deliberation.quorum))
        decisions = {
            d.candidature_id: d
            for d in Decision.objects.filter(deliberation=deliberation).select_for_update()
        }
        problemes, _, _ = problemes_des_decisions(
            appel,
            {pk: (d.sens, d.motif) for pk, d in decisions.items()},
            motif_depassement=deliberation.motif_depassement,
            exiger_toutes=True,
        )
        if problemes:
            raise DonneesRefusees(" ".join(problemes))
        lignes = selectors.classement(appel)
        candidatures = {
            c.pk: c for c in Candidature.objects.select_for_update().filter(pk__in=list(decisions))
        }
        rang_attente = 0
        for ligne in lignes:
            decision = decisions[ligne.candidature.pk]
            candidature = candidatures[ligne.candidature.pk]
            transition = getattr(candidature, TRANSITION_DECISION[decision.sens])
            if not can_proceed(transition):
                raise ActionImpossible(
                    gettext(
                        "%(nom)s : la candidature est « %(etat)s », la décision ne s'applique pas."
                    )
                    % {
                        "nom": ligne.candidature.structure.nom,
                        "etat": candidature.get_etat_display(),
                    }
                )
            # Le journal garde le libellé français de la décision, quelle que soit la langue
            # de la personne qui publie.
            with translation.override(settings.LANGUAGE_CODE):
                description = decision.motif or decision.get_sens_display()
            transition(by=par, description=description)
            candidature.save(update_fields=["etat", "decidee_le"])
            if decision.sens == SensDecision.LISTE_ATTENTE:
                rang_attente += 1
                decision.rang_liste_attente = rang_attente
                decision.save(update_fields=["rang_liste_attente"])
            if decision.sens == SensDecision.RETENUE:
                _creer_plan_si_disponible(candidature, par=par)
            pdf = _garder_la_lettre(candidature, decision, ligne=ligne)
            notifications.decision_publiee(candidature, decision, pdf=pdf)
        appel.marquer_decide(by=par, description="Résultats publiés")
        appel.save(update_fields=["etat"])
        deliberation.publiee_le = timezone.now()
        deliberation.publiee_par = par
        deliberation.save(update_fields=["publiee_le", "publiee_par"])
        journaliser(
            TypeEvenement.RESULTATS_PUBLIES,
            cible=appel,
            acteur=par,
            donnees={"decisions": len(decisions)},
        )
        retenues = sum(1 for d in decisions.values() if d.sens == SensDecision.RETENUE)
        if appel.nombre_places is not None and retenues > appel.nombre_places:
            journaliser(
                TypeEvenement.NOMBRE_DE_PLACES_DEPASSE,
                cible=appel,
                acteur=par,
                motif=deliberation.motif_depassement,
                donnees={"retenues": retenues, "places": appel.nombre_places},
            )
    return deliberation


MOTIF_DEPASSEMENT_MANQUANT = gettext_noop("Indiquez pourquoi le nombre de places est dépassé.")


def _exiger_une_place(appel, *, depasser_places, motif_depassement):
    """Refuse d'ajouter un lauréat quand les places de l'appel sont toutes prises, sauf
    dépassement explicite (case cochée et motif). L'appel est déjà verrouillé : le compte des
    retenues, relu ici, ne bouge pas avant la fin de la transaction. Renvoie le nombre de
    retenues avant l'ajout et le motif du dépassement retenu ("" sans dépassement)."""
    retenues = selectors.places_occupees(appel)
    if appel.nombre_places is None or retenues < appel.nombre_places:
        return retenues, ""
    if not depasser_places:
        raise ActionImpossible(
            gettext(
                "Les %(places)s places de l'appel sont prises (%(retenues)s candidatures "
                "retenues). Retirez d'abord un lauréat qui renonce, ou cochez « Dépasser le nombre "
                "de places de l'appel » et indiquez pourquoi."
            )
            % {"places": appel.nombre_places, "retenues": retenues}
        )
    motif_depassement = (motif_depassement or "").strip()
    if not motif_depassement:
        raise DonneesRefusees(gettext(MOTIF_DEPASSEMENT_MANQUANT))
    return retenues, motif_depassement


def promouvoir_liste_attente(appel, *, par, motif, depasser_places=False, motif_depassement=""):
    """Retient la première candidature de la liste d'attente, dans l'ordre des rangs fixés à
    la publication (après un désistement).

    Motif obligatoire. Refusé quand toutes les places sont prises, sauf dépassement explicite
    (`depasser_places` et son motif, journalisé avec la promotion) : le verrou de l'appel,
    pris d'abord, fait passer deux promotions l'une après l'autre et la seconde relit le
    nombre de retenues. Transition journalisée, plan d'accompagnement créé, nouvelle lettre
    de décision gardée sur la décision et jointe au courriel à la structure. Renvoie la
    candidature promue.
    """
    motif = (motif or "").strip()
    if not motif:
        raise DonneesRefusees(
            gettext("Le motif de la promotion est obligatoire (désistement de…).")
        )
    _exiger(par, "evaluation.gerer_jury", appel)
    if not par.has_perm("evaluation.promouvoir_liste_attente", appel):
        raise ActionImpossible(gettext("La promotion se fait une fois les résultats publiés."))
    with transaction.atomic():
        appel = _verrouiller_appel(appel.pk)
        decision = selectors.liste_attente(appel).select_for_update(of=("self",)).first()
        if decision is None:
            raise ActionImpossible(gettext("La liste d'attente est vide."))
        retenues, motif_depassement = _exiger_une_place(
            appel, depasser_places=depasser_places, motif_depassement=motif_depassement
        )
        candidature = Candidature.objects.select_for_update().get(pk=decision.candidature_id)
        candidature.retenir(by=par, description=motif)
        candidature.save(update_fields=["etat", "decidee_le"])
        decision.promue_le = timezone.now()
        decision.save(update_fields=["promue_le"])
        _creer_plan_si_disponible(candidature, par=par)
        donnees = {
            "rang": decision.rang_liste_attente,
            "retenues": retenues + 1,
            "places": appel.nombre_places,
        }
        if motif_depassement:
            donnees["motif_depassement"] = motif_depassement
        journaliser(
            TypeEvenement.LISTE_ATTENTE_PROMUE,
            cible=candidature,
            acteur=par,
            motif=motif,
            donnees=donnees,
        )
        if motif_depassement:
            journaliser(
                TypeEvenement.NOMBRE_DE_PLACES_DEPASSE,
                cible=appel,
                acteur=par,
                motif=motif_depassement,
                donnees={
                    "candidature": candidature.pk,
                    "retenues": retenues + 1,
                    "places": appel.nombre_places,
                },
            )
        pdf = _garder_la_lettre(candidature, decision, ligne=None, motif_promotion=motif)
        notifications.promotion_liste_attente(candidature, motif=motif, pdf=pdf)
    return candidature


def _abandonner_plan_si_disponible(candidature, *, par, motif):
    """Abandonne le plan d'accompagnement du lauréat retiré si l'application
    d'accompagnement le permet (même crochet que la création du plan)."""
    try:
        services_accompagnement = importlib.import_module("accompagnement.services")
    except ImportError:
        return None
    abandonner = getattr(services_accompagnement, "abandonner_plan_du_laureat_retire", None)
    if abandonner is None:
        return None
    return abandonner(candidature, par=par, motif=motif)


MOTIF_RETRAIT_MANQUANT = gettext_noop("Indiquez pourquoi la candidature retenue est retirée.")


def retirer_laureat(candidature, *, par, motif):
    """Retire une candidature retenue, à la demande de la structure ou par un gestionnaire
    pour elle : retenue → retirée par sa transition (journalisée avec le motif, obligatoire),
    le plan d'accompagnement abandonné par la sienne, la place libérée ; les gestionnaires
    du programme reçoivent un courriel qui leur propose la suivante de la liste d'attente.

    Verrous dans l'ordre de la délibération : l'appel, puis la candidature (puis le plan).
    Refusé si la candidature n'est plus retenue, relu sous les verrous. Renvoie la
    candidature ; la suivante de la liste d'attente se lit avec
    `selectors.liste_attente(appel).first()`.
    """
    motif = (motif or "").strip()
    if not motif:
        raise DonneesRefusees(gettext(MOTIF_RETRAIT_MANQUANT))
    _exiger(
        par,
        "candidatures.retirer_laureat",
        candidature,
        gettext("Seules la structure et l'équipe du programme peuvent retirer cette candidature."),
    )
    with transaction.atomic():
        _verrouiller_appel(candidature.appel_id)
        candidature = (
            Candidature.objects.select_for_update(of=("self",))
            .select_related("appel__programme", "structure")
            .get(pk=candidature.pk)
        )
        if not can_proceed(candidature.retirer_laureat):
            raise ActionImpossible(
                gettext(
                    "La candidature est « %(etat)s » : seule une candidature retenue se retire "
                    "ainsi. L'action a peut-être déjà été faite."
                )
                % {"etat": candidature.get_etat_display()}
            )
        candidature.retirer_laureat(motif=motif, by=par, description=motif)
        candidature.save(update_fields=["etat", "motif_retrait", "retiree_le", "modifiee_le"])
        _abandonner_plan_si_disponible(candidature, par=par, motif=motif)
        notifications.laureat_retire(
            candidature, motif=motif, suivante=selectors.liste_attente(candidature.appel).first()
        )
    return candidature
