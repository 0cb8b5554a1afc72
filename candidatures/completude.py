"""Ce qui manque à une candidature pour être déposée : le panneau « complétude » et la condition
de la transition de dépôt lisent la même liste."""

from dataclasses import dataclass

from django.utils.translation import gettext

from programmes.enums import TypeQuestion


@dataclass(frozen=True)
class Manque:
    libelle: str
    ancre: str  # l'identifiant HTML du champ à remplir


def reponse_est_donnee(valeur):
    # « Non » à une question oui/non et 0 à une question nombre sont des réponses.
    return valeur is not None and valeur != "" and valeur != []


def manques(candidature):
    """La liste, dans l'ordre du formulaire, des réponses et pièces obligatoires absentes."""
    appel = candidature.appel
    fichiers = {piece.nom_de_champ for piece in candidature.pieces_jointes.all()}
    resultat = []
    for numero, question in enumerate(appel.questions.all(), start=1):
        if not question.obligatoire:
            continue
        if question.type == TypeQuestion.FICHIER:
            donnee = question.nom_de_champ in fichiers
        else:
            donnee = reponse_est_donnee(candidature.reponse(question))
        if not donnee:
            resultat.append(
                Manque(
                    gettext("Question %(numero)s : %(libelle)s")
                    % {"numero": numero, "libelle": question.libelle},
                    question.ancre,
                )
            )
    for piece in appel.pieces_demandees.all():
        if piece.obligatoire and piece.nom_de_champ not in fichiers:
            resultat.append(
                Manque(
                    gettext("Pièce à joindre : %(libelle)s") % {"libelle": piece.libelle},
                    piece.ancre,
                )
            )
    return resultat
