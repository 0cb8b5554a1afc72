"""Ce qui manque à une candidature pour être déposée : le panneau « complétude » et la condition
de la transition de dépôt lisent la même liste."""

from dataclasses import dataclass

from django.utils.translation import gettext

from programmes.enums import TypeQuestion
from programmes.models import questions_affichees


@dataclass(frozen=True)
class Manque:
    libelle: str
    ancre: str  # l'identifiant HTML du champ à remplir


def reponse_est_donnee(valeur):
    # « Non » à une question oui/non et 0 à une question nombre sont des réponses.
    return valeur is not None and valeur != "" and valeur != []


def numeroter(questions, reponses):
    """[(numéro dans le formulaire, question)] des `questions` montrées à qui a répondu
    `reponses` (`programmes.models.questions_affichees`) : une question masquée n'est ni
    obligatoire, ni lue, ni exportée ; les autres gardent leur numéro. Les questions sont
    celles de l'appel, ou celles figées par une version déposée (mêmes conditions)."""
    questions = list(questions)
    affichees = questions_affichees(questions, reponses)
    return [
        (numero, question)
        for numero, question in enumerate(questions, start=1)
        if question.pk in affichees
    ]


def questions_numerotees(candidature):
    """`numeroter` sur les questions de l'appel et les réponses présentes."""
    return numeroter(candidature.appel.questions.all(), candidature.reponses)


def manques(candidature):
    """La liste, dans l'ordre du formulaire, des réponses et pièces obligatoires absentes ;
    une question masquée par sa condition n'en fait pas partie."""
    appel = candidature.appel
    fichiers = {piece.nom_de_champ for piece in candidature.pieces_jointes.all()}
    resultat = []
    for numero, question in questions_numerotees(candidature):
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
