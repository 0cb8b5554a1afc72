"""Qui peut faire quoi sur les programmes, appels, structures et candidatures (django-rules).

Chaque permission sert à la fois la vue, le `permission=` de la transition et l'affichage du
bouton. Les prédicats reçoivent un objet ou None, et disent non à None.
"""

import rules

from candidatures.enums import ETATS_MODIFIABLES
from candidatures.models import Candidature
from noyau.perimetre import gere, ids_programmes_geres, ids_structures
from noyau.roles import est_candidat, est_gestionnaire
from programmes.enums import EtatAppel
from structures.models import Structure


def _id_structure(objet):
    if isinstance(objet, Structure):
        return objet.pk
    if isinstance(objet, Candidature):
        return objet.structure_id
    return None


@rules.predicate
def gere_le_programme(utilisateur, objet):
    return gere(utilisateur, objet)


@rules.predicate
def est_membre_de_la_structure(utilisateur, objet):
    id_structure = _id_structure(objet)
    return id_structure is not None and id_structure in ids_structures(utilisateur)


@rules.predicate
def est_responsable_de_la_structure(utilisateur, structure):
    if structure is None or not est_membre_de_la_structure(utilisateur, structure):
        return False
    return structure.adhesions.filter(utilisateur=utilisateur, est_responsable=True).exists()


@rules.predicate
def candidature_modifiable(utilisateur, candidature):
    return candidature is not None and candidature.etat in ETATS_MODIFIABLES


@rules.predicate
def appel_en_brouillon(utilisateur, appel):
    return appel is not None and appel.etat == EtatAppel.BROUILLON


@rules.predicate
def appel_modifiable(utilisateur, appel):
    return appel is not None and appel.etat in (EtatAppel.BROUILLON, EtatAppel.OUVERT)


est_gestionnaire_du_programme = est_gestionnaire & gere_le_programme


@rules.predicate
def gere_un_programme_de_la_structure(utilisateur, structure):
    """La structure a candidaté à un appel d'un programme que cette personne gère."""
    programmes = ids_programmes_geres(utilisateur)
    if structure is None or not programmes:
        return False
    return structure.candidatures.filter(appel__programme_id__in=programmes).exists()


rules.add_rule("gere_le_programme", est_gestionnaire_du_programme)
rules.add_rule("est_membre_de_la_structure", est_membre_de_la_structure)

# Appels (back office)
rules.add_perm("candidatures.creer_appel", est_gestionnaire_du_programme)
rules.add_perm("candidatures.gerer_appel", est_gestionnaire_du_programme)
rules.add_perm("candidatures.modifier_appel", est_gestionnaire_du_programme & appel_modifiable)
rules.add_perm(
    "candidatures.modifier_formulaire_appel", est_gestionnaire_du_programme & appel_en_brouillon
)

# Structures (côté candidat)
rules.add_perm("candidatures.creer_structure", est_candidat)
rules.add_perm("candidatures.modifier_structure", est_membre_de_la_structure)
# Le gestionnaire aussi : une structure dont le seul compte a été supprimé est reprise par un
# collègue qu'il invite (le SIRET interdit de la recréer).
rules.add_perm(
    "candidatures.inviter_dans_structure",
    est_responsable_de_la_structure | (est_gestionnaire & gere_un_programme_de_la_structure),
)

# Candidatures
rules.add_perm(
    "candidatures.voir_candidature", est_membre_de_la_structure | est_gestionnaire_du_programme
)
rules.add_perm(
    "candidatures.modifier_candidature", est_membre_de_la_structure & candidature_modifiable
)
rules.add_perm("candidatures.deposer_candidature", est_membre_de_la_structure)
rules.add_perm("candidatures.retirer_candidature", est_membre_de_la_structure)
rules.add_perm(
    "candidatures.retirer_laureat", est_membre_de_la_structure | est_gestionnaire_du_programme
)
rules.add_perm("candidatures.instruire_candidature", est_gestionnaire_du_programme)
# Notes privées et étiquettes (annotations.registre) : les gestionnaires du programme seuls.
rules.add_perm("candidatures.annoter_candidature", est_gestionnaire_du_programme)
rules.add_perm("candidatures.decider_candidature", est_gestionnaire_du_programme)

# Fil de discussion (echanges) : la structure et les gestionnaires du programme ; seul le
# gestionnaire le montre au jury.
rules.add_perm("candidatures.lire_fil", est_membre_de_la_structure | est_gestionnaire_du_programme)
rules.add_perm(
    "candidatures.ecrire_fil", est_membre_de_la_structure | est_gestionnaire_du_programme
)
rules.add_perm("candidatures.partager_fil", est_gestionnaire_du_programme)
