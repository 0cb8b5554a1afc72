"""Les fils de discussion de la démo, écrits par les services à leurs dates : sur l'appel
ouvert (AMI 2027), la gestionnaire pose une question à une structure qui a déposé et attend sa
réponse ; sur le plan du CCAS de Houplines (lauréat 2022), la coach et la structure échangent.

Idempotent : un fil qui a déjà des messages n'est pas réécrit."""

import datetime

from django.contrib.auth import get_user_model

from accompagnement.models import PlanAccompagnement
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from demo.accompagnement import COACH_DEMO, SLUG_APPEL_2022
from demo.candidatures import GESTIONNAIRE_DEMO, LAUREATE_DEMO
from demo.horloge import a_la_date
from demo.horloge import le as _a
from echanges import services
from echanges.models import MessageFil

SLUG_APPEL_OUVERT = "ami-inclusion-numerique-2027"

QUESTION_2027 = (
    "Bonjour, merci pour le complément, bien reçu. Pouvez-vous aussi préciser le nombre de "
    "personnes accompagnées chaque mois par votre permanence numérique, et les communes d'où elles "
    "viennent ? Cela nous aidera à vérifier la recevabilité."
)

ECHANGE_PLAN = [
    (
        "coach",
        _a(2022, 11, 14, 9, 30),
        "Bonjour, pour préparer l'atelier de cadrage du 21 novembre, pouvez-vous m'envoyer la "
        "liste des ateliers numériques déjà proposés par le CCAS et leur fréquentation ?",
    ),
    (
        "structure",
        _a(2022, 11, 15, 16, 10),
        "Bonjour Chloé, voici : deux ateliers par semaine (démarches en ligne, prise en main "
        "du smartphone), huit à douze personnes chacun. Nous apporterons le planning papier.",
    ),
    (
        "coach",
        _a(2022, 11, 16, 8, 45),
        "Merci, c'est parfait. À lundi !",
    ),
]


def _sans_message(objet):
    fil = services.fil_de(objet)
    return fil is None or not fil.messages.exists()


def _question_sur_l_appel_ouvert(stdout, gestionnaire):
    # Déjà posée (second chargement) : rien. Sinon, à la candidature déposée de l'appel ouvert,
    # après son second dépôt (sa demande de complément est déjà dans le fil : demo/versions).
    if MessageFil.objects.filter(texte=QUESTION_2027).exists():
        return
    candidature = (
        Candidature.objects.filter(appel__slug=SLUG_APPEL_OUVERT, etat=EtatCandidature.DEPOSEE)
        .select_related("structure", "appel")
        .order_by("pk")
        .first()
    )
    if candidature is None:
        return
    moment = candidature.deposee_le + datetime.timedelta(days=2)
    with a_la_date(moment):
        services.ecrire(candidature, par=gestionnaire, texte=QUESTION_2027, delai_reponse_jours=60)
    stdout.write(f"Fil : question à {candidature.structure.nom}, réponse attendue.")


def _echange_sur_le_plan(stdout, coach):
    plan = (
        PlanAccompagnement.objects.filter(
            candidature__appel__slug=SLUG_APPEL_2022,
            structure__membres__email=LAUREATE_DEMO,
        )
        .select_related("structure", "programme", "coach")
        .first()
    )
    if plan is None or not _sans_message(plan) or plan.coach_id != coach.pk:
        return
    structure = plan.structure.membres.get(email=LAUREATE_DEMO)
    for cote, moment, texte in ECHANGE_PLAN:
        with a_la_date(moment):
            services.ecrire(plan, par=coach if cote == "coach" else structure, texte=texte)
    stdout.write(f"Fil : échange entre la coach et {plan.structure.nom}.")


def charger_fils(stdout):
    Utilisateur = get_user_model()
    gestionnaire = Utilisateur.objects.filter(email=GESTIONNAIRE_DEMO).first()
    coach = Utilisateur.objects.filter(email=COACH_DEMO).first()
    if gestionnaire is None or coach is None:
        stdout.write("Fils : comptes de démo absents, rien à charger.")
        return
    _question_sur_l_appel_ouvert(stdout, gestionnaire)
    _echange_sur_le_plan(stdout, coach)
