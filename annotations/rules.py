"""Qui lit et écrit les notes privées et les étiquettes (django-rules).

Sur une cible (candidature, plan), les règles sont celles que son application a déclarées au
registre ; une structure, un membre du jury, un observateur n'y figurent jamais. Une note ne se
modifie ou ne s'efface que par son auteur, et tant qu'il peut encore écrire sur sa cible. Les
étiquettes d'un programme se gèrent par ses gestionnaires.
"""

import rules

from annotations import registre
from annotations.models import NotePrivee
from noyau.perimetre import gere
from noyau.roles import est_gestionnaire


def _permise(utilisateur, cible, nom_de_regle):
    annotable = registre.pour(cible)
    if annotable is None or not utilisateur.is_authenticated:
        return False
    return utilisateur.has_perm(getattr(annotable, nom_de_regle), cible)


@rules.predicate
def peut_lire_la_cible(utilisateur, cible):
    return _permise(utilisateur, cible, "lire")


@rules.predicate
def peut_ecrire_sur_la_cible(utilisateur, cible):
    return _permise(utilisateur, cible, "ecrire")


@rules.predicate
def peut_etiqueter_la_cible(utilisateur, cible):
    return _permise(utilisateur, cible, "etiqueter")


@rules.predicate
def est_l_auteur_de_la_note(utilisateur, note):
    return (
        isinstance(note, NotePrivee)
        and utilisateur.is_authenticated
        and note.auteur_id == utilisateur.pk
    )


@rules.predicate
def peut_encore_ecrire_sur_sa_cible(utilisateur, note):
    return isinstance(note, NotePrivee) and _permise(utilisateur, note.cible, "ecrire")


@rules.predicate
def gere_le_programme(utilisateur, objet):
    return gere(utilisateur, objet)


rules.add_perm("annotations.voir_annotations", peut_lire_la_cible)
rules.add_perm("annotations.ecrire_note", peut_ecrire_sur_la_cible)
rules.add_perm("annotations.etiqueter", peut_etiqueter_la_cible)
rules.add_perm(
    "annotations.modifier_note", est_l_auteur_de_la_note & peut_encore_ecrire_sur_sa_cible
)
# Les étiquettes d'un programme (objet : le programme ou une étiquette).
rules.add_perm("annotations.gerer_etiquettes", est_gestionnaire & gere_le_programme)
