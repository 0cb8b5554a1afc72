"""La question conditionnelle de la démo : le formulaire de l'AMI 2027 demande si la structure
a déjà animé des ateliers numériques, et seulement si elle répond « Oui », combien de
personnes elle y accueille par an."""

from django.db import transaction

from programmes.enums import TypeQuestion
from programmes.models import Appel, Question

APPEL = "ami-inclusion-numerique-2027"
ATELIERS = "Avez-vous déjà animé des ateliers numériques ?"
PERSONNES = "Combien de personnes y participent par an ?"


def charger_conditions(stdout=None):
    """Ajoute, si elles manquent, les deux questions à la fin du formulaire de l'AMI 2027
    (comme les autres questions de la démo : des lignes sans état). La première est
    facultative : la candidature déjà déposée n'y a pas répondu, la seconde reste donc
    masquée pour elle et ne lui manque pas."""
    appel = Appel.objects.filter(slug=APPEL).first()
    if appel is None or appel.questions.filter(libelle=ATELIERS).exists():
        return
    derniere = appel.questions.order_by("-ordre").values_list("ordre", flat=True).first() or 0
    with transaction.atomic():
        ateliers = Question.objects.create(
            appel=appel,
            ordre=derniere + 1,
            type=TypeQuestion.OUI_NON,
            libelle=ATELIERS,
            aide="Dans votre structure ou ailleurs, même de façon ponctuelle.",
            obligatoire=False,
        )
        Question.objects.create(
            appel=appel,
            ordre=derniere + 2,
            type=TypeQuestion.NOMBRE,
            libelle=PERSONNES,
            aide="Une estimation suffit.",
            obligatoire=True,
            condition=ateliers,
            condition_valeur="oui",
        )
    if stdout is not None:
        stdout.write(f"Question conditionnelle : « {PERSONNES} » si « Oui » à « {ATELIERS} ».")
