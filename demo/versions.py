"""Versions déposées dans la démo : sur l'AMI 2027, la gestionnaire demande un complément à
une candidature déposée ; la structure précise sa motivation, remplace la délibération par sa
version signée et dépose à nouveau. La page « Versions déposées » de la candidature montre
alors la différence entre les deux dépôts, et chaque dépôt garde son récépissé.

Joué par les services, aux dates de l'histoire ; une candidature déjà redéposée n'est pas
rejouée."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from candidatures import services
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from demo.candidatures import CANDIDATURES_2027, GESTIONNAIRE_DEMO
from demo.candidatures import _siret as siret_de_demo
from demo.horloge import a_la_date

APPEL = "ami-inclusion-numerique-2027"
# La structure de l'AMI 2027 qui y a déposé dans l'histoire des candidatures.
CLE = next(cle for cle, etat in CANDIDATURES_2027 if etat == EtatCandidature.DEPOSEE)
DEMANDE = (
    "Merci de préciser ce que les ateliers changeront pour vos publics et de joindre la "
    "délibération signée (celle jointe n'est pas signée)."
)
MOTIVATION = (
    "De plus en plus de démarches se font en ligne et une partie de notre public n'y arrive pas "
    "seule. Avec deux ateliers par semaine, nous voulons que chaque personne accompagnée sache, "
    "au bout de trois mois, déclarer ses ressources et prendre un rendez-vous en ligne."
)


def _pdf_signe():
    from weasyprint import HTML

    return HTML(
        string="<p>Document de démonstration de Relais : une délibération fictive, signée.</p>"
    ).write_pdf()


def charger_versions(stdout=None):
    candidature = (
        Candidature.objects.filter(appel__slug=APPEL, structure__siret=siret_de_demo(CLE))
        .select_related("appel", "structure")
        .first()
    )
    if candidature is None or candidature.versions.count() >= 2:
        return
    if candidature.etat != EtatCandidature.DEPOSEE:
        return
    gestionnaire = get_user_model().objects.get(email=GESTIONNAIRE_DEMO)
    compte = candidature.structure.membres.order_by("adhesions__pk").first()
    depot = candidature.deposee_le
    with a_la_date(depot + datetime.timedelta(days=3)):
        services.demander_complement(candidature, par=gestionnaire, message=DEMANDE)
    motivation = candidature.appel.questions.order_by("ordre", "pk")[1]
    with a_la_date(depot + datetime.timedelta(days=5)):
        services.enregistrer_reponses(candidature, par=compte, reponses={motivation.pk: MOTIVATION})
        services.joindre_fichier(
            candidature,
            par=compte,
            fichier=SimpleUploadedFile(
                "deliberation-signee.pdf", _pdf_signe(), content_type="application/pdf"
            ),
            piece_demandee=candidature.appel.pieces_demandees.get(ordre=1),
        )
    with a_la_date(depot + datetime.timedelta(days=5, minutes=20)):
        services.redeposer_candidature(candidature, par=compte)
    if stdout is not None:
        stdout.write(
            f"Versions déposées : {candidature.structure.nom} a déposé à nouveau sur l'AMI 2027."
        )
