"""L'envoi groupé de la démo : après le comité de clôture, la gestionnaire écrit aux lauréates
de l'AMI 2022 (la cohorte), par la page de la cohorte. Joué par les services des envois à sa
date ; idempotent (un envoi de ce sujet déjà fait ne l'est pas deux fois)."""

from django.contrib.auth import get_user_model
from django.http import QueryDict

from demo.accompagnement import GESTIONNAIRE_DEMO, SLUG_APPEL_2022
from demo.horloge import a_la_date
from demo.horloge import le as _a
from messagerie import envois
from messagerie.audiences import type_d_audience
from messagerie.models import EnvoiGroupe
from programmes.models import Appel

SUJET = "{{ structure }} : merci pour ces quinze mois d'accompagnement"
CORPS = """Bonjour {% if prenom %}{{ prenom }}{% else %}à toute l'équipe{% endif %},

Le comité de clôture du 14 décembre a salué le chemin parcouru par {{ structure }} depuis
l'appel « {{ appel }} ». Le bilan de la cohorte sera publié en janvier ; {{ coach }} reste
joignable d'ici là pour toute question.

Merci à toute l'équipe de {{ structure }} ({{ commune }}).

L'équipe du programme"""


def charger_envois(stdout):
    appel = Appel.objects.filter(slug=SLUG_APPEL_2022).select_related("programme").first()
    gestionnaire = get_user_model().objects.filter(email=GESTIONNAIRE_DEMO).first()
    if appel is None or gestionnaire is None:
        return
    if EnvoiGroupe.objects.filter(programme=appel.programme, sujet=SUJET).exists():
        return
    with a_la_date(_a(2023, 12, 18, 9, 30)):
        audience = type_d_audience("cohorte").audience(appel, QueryDict(""))
        envoi = envois.creer_envoi(
            audience,
            code="cohorte",
            parametres={},
            par=gestionnaire,
            sujet=SUJET,
            corps=CORPS,
        )
        # Sans worker, la démo prépare elle-même les messages ; la boîte d'envoi les envoie.
        envoi = envois.preparer_les_messages(envoi.pk)
    stdout.write(f"Envoi groupé aux lauréates 2022 : {envoi.mis_en_envoi} message(s).")
