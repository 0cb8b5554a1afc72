"""Qui peut faire quoi dans le jury et la délibération (django-rules).

Une même règle sert la vue, le `permission=` des transitions et l'affichage des boutons.
Les prédicats côté membre reçoivent une candidature (ou une évaluation, depuis la transition)
et lisent en une requête, gardée sur l'utilisateur, tous ses sièges de jury.
"""

from dataclasses import dataclass

import rules
from django.db.models import OuterRef, Subquery

from candidatures.models import Candidature
from candidatures.rules import est_gestionnaire_du_programme, est_membre_de_la_structure
from evaluation.enums import EtatEvaluation
from evaluation.models import Affectation, ConflitInterets, Evaluation, Jury
from noyau.roles import est_membre_jury
from programmes.enums import EtatAppel

ETATS_APPEL_NOTES_OUVERTES_A_TOUS = [EtatAppel.EN_DELIBERATION, EtatAppel.DECIDE, EtatAppel.ARCHIVE]


@dataclass(frozen=True)
class Siege:
    """Ce qu'un membre a fait sur une candidature qui lui est confiée."""

    affectation_id: int
    en_conflit: bool | None  # None : pas encore déclaré
    notes_validees: bool


def sieges(utilisateur):
    """{id de candidature: Siege} pour ce compte, lu une fois par requête."""
    if not utilisateur.is_authenticated or not utilisateur.is_active:
        return {}
    if not hasattr(utilisateur, "_sieges_jury"):
        declaration = ConflitInterets.objects.filter(
            membre_id=OuterRef("membre_id"), candidature_id=OuterRef("candidature_id")
        ).values("en_conflit")[:1]
        lignes = (
            Affectation.objects.filter(membre__utilisateur=utilisateur)
            .annotate(en_conflit=Subquery(declaration))
            .values_list("pk", "candidature_id", "en_conflit", "evaluation__etat")
        )
        utilisateur._sieges_jury = {
            candidature_id: Siege(pk, en_conflit, etat == EtatEvaluation.VALIDEE)
            for pk, candidature_id, en_conflit, etat in lignes
        }
    return utilisateur._sieges_jury


def oublier_sieges(utilisateur):
    # `delattr`, pas `__dict__` : le compte d'une requête (`request.user`) est un objet
    # paresseux dont le `__dict__` n'est pas celui du compte ; le cache y survivait.
    try:
        del utilisateur._sieges_jury
    except AttributeError:
        pass


def _candidature(objet):
    if isinstance(objet, Candidature):
        return objet
    if isinstance(objet, Evaluation):
        return objet.affectation.candidature
    return None


def _siege(utilisateur, objet):
    candidature = _candidature(objet)
    if candidature is None:
        return None
    return sieges(utilisateur).get(candidature.pk)


@rules.predicate
def est_affecte(utilisateur, objet):
    return _siege(utilisateur, objet) is not None


@rules.predicate
def est_en_conflit(utilisateur, objet):
    siege = _siege(utilisateur, objet)
    return siege is not None and siege.en_conflit is True


@rules.predicate
def a_declare_aucun_conflit(utilisateur, objet):
    siege = _siege(utilisateur, objet)
    return siege is not None and siege.en_conflit is False


@rules.predicate
def a_valide_ses_notes(utilisateur, objet):
    siege = _siege(utilisateur, objet)
    return siege is not None and siege.notes_validees


def _jury(candidature):
    if not hasattr(candidature.appel, "_jury_lu"):
        candidature.appel._jury_lu = Jury.objects.filter(appel_id=candidature.appel_id).first()
    return candidature.appel._jury_lu


@rules.predicate
def notation_ouverte(utilisateur, objet):
    candidature = _candidature(objet)
    if candidature is None or candidature.appel.etat != EtatAppel.EN_EVALUATION:
        return False
    jury = _jury(candidature)
    return jury is not None and jury.notation_ouverte()


@rules.predicate
def notes_des_autres_devoilees(utilisateur, objet):
    """Les notes des autres se voient après validation des siennes, sauf si l'appel les cache
    jusqu'à la délibération."""
    candidature = _candidature(objet)
    if candidature is None:
        return False
    if candidature.appel.etat in ETATS_APPEL_NOTES_OUVERTES_A_TOUS:
        return True
    jury = _jury(candidature)
    return jury is not None and not jury.notes_cachees_jusqu_a_deliberation


@rules.predicate
def appel_en_evaluation(utilisateur, appel):
    return appel is not None and appel.etat == EtatAppel.EN_EVALUATION


@rules.predicate
def appel_en_deliberation(utilisateur, appel):
    return appel is not None and appel.etat == EtatAppel.EN_DELIBERATION


@rules.predicate
def appel_decide(utilisateur, appel):
    return appel is not None and appel.etat == EtatAppel.DECIDE


@rules.predicate
def appel_avant_evaluation(utilisateur, appel):
    return appel is not None and appel.etat in (
        EtatAppel.BROUILLON,
        EtatAppel.OUVERT,
        EtatAppel.CLOS,
    )


membre_affecte = est_membre_jury & est_affecte

# Back office
rules.add_perm("evaluation.gerer_jury", est_gestionnaire_du_programme)
rules.add_perm(
    "evaluation.modifier_grille",
    est_gestionnaire_du_programme & (appel_avant_evaluation | appel_en_evaluation),
)
rules.add_perm("evaluation.deliberer", est_gestionnaire_du_programme & appel_en_deliberation)
rules.add_perm("evaluation.promouvoir_liste_attente", est_gestionnaire_du_programme & appel_decide)
rules.add_perm(
    "evaluation.lire_lettre_decision", est_gestionnaire_du_programme | est_membre_de_la_structure
)

# Membres du jury (sur une candidature confiée)
# Nommées pour l'espace du membre : la candidature lui est confiée (récusé ou non), ou il y a
# déclaré un conflit (récusé).
rules.add_rule("siege_sur_la_candidature", est_affecte)
rules.add_rule("est_recuse", est_en_conflit)
rules.add_perm("evaluation.acceder_espace_jury", est_membre_jury)
rules.add_perm("evaluation.voir_candidature_jury", membre_affecte & ~est_en_conflit)
# Les pièces jointes se lisent comme la candidature : une fois l'absence de conflit déclarée.
rules.add_perm("evaluation.telecharger_piece_jury", membre_affecte & a_declare_aucun_conflit)
rules.add_perm("evaluation.declarer_conflit", membre_affecte & notation_ouverte)
rules.add_perm("evaluation.noter", membre_affecte & a_declare_aucun_conflit & notation_ouverte)
rules.add_perm(
    "evaluation.voir_notes_des_autres",
    (membre_affecte & a_declare_aucun_conflit & a_valide_ses_notes & notes_des_autres_devoilees)
    | est_gestionnaire_du_programme,
)
