"""Les notes privées et les étiquettes de la démo : la gestionnaire range les candidatures de
l'AMI 2027 (« À rappeler », « Dossier solide ») et y écrit deux notes ; la coach note un
rendez-vous sur le plan 2022 du CCAS de Houplines. Joué par les services, à des dates passées
(après les dépôts), une seule fois."""

import datetime

from django.contrib.auth import get_user_model

from accompagnement.models import PlanAccompagnement
from annotations import services
from annotations.models import Etiquette
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from demo.accompagnement import COACH_DEMO, SLUG_APPEL_2022
from demo.candidatures import GESTIONNAIRE_DEMO
from demo.horloge import a_la_date, le

SLUG_APPEL_2027 = "ami-inclusion-numerique-2027"
NOTES_2027 = (
    "Appelée le 3 : la directrice confirme deux agents à former ; devis de la salle à venir.",
    "Budget cohérent avec les ateliers prévus. À présenter en premier au jury.",
)
NOTE_COACH = (
    "Rendez-vous de lancement : l'équipe veut commencer par les démarches en ligne (CAF, "
    "ameli). Prévoir la tablette avant le premier atelier."
)


def charger_annotations(stdout):
    Utilisateur = get_user_model()
    gestionnaire = Utilisateur.objects.filter(email=GESTIONNAIRE_DEMO).first()
    coach = Utilisateur.objects.filter(email=COACH_DEMO).first()
    candidatures = list(
        Candidature.objects.filter(appel__slug=SLUG_APPEL_2027)
        .select_related("appel__programme", "structure")
        .order_by("pk")
    )
    deposees = [c for c in candidatures if c.etat == EtatCandidature.DEPOSEE]
    if gestionnaire is None or not deposees:
        stdout.write("Notes et étiquettes : appel 2027 ou gestionnaire de démo absent.")
        return
    programme = candidatures[0].appel.programme
    if Etiquette.objects.filter(programme=programme).exists():
        stdout.write("Notes et étiquettes : déjà écrites, laissées telles quelles.")
        return
    # Quelques jours après le premier dépôt (l'appel est ouvert depuis plus d'un mois).
    depot = min(c.deposee_le for c in deposees)
    with a_la_date(depot + datetime.timedelta(days=3)):
        a_rappeler = services.creer_etiquette(programme, par=gestionnaire, nom="À rappeler")
        solide = services.creer_etiquette(programme, par=gestionnaire, nom="Dossier solide")
        services.ajouter_etiquette(a_rappeler, candidatures, par=gestionnaire)
        services.ajouter_etiquette(solide, deposees, par=gestionnaire)
    for jours, texte in zip((3, 7), NOTES_2027, strict=True):
        with a_la_date(depot + datetime.timedelta(days=jours, hours=2)):
            services.ecrire_note(deposees[0], par=gestionnaire, texte=texte)
    plan = (
        PlanAccompagnement.objects.filter(
            candidature__appel__slug=SLUG_APPEL_2022, structure__nom="CCAS de Houplines"
        )
        .select_related("programme", "coach")
        .first()
    )
    if plan is not None and coach is not None and plan.coach_id == coach.pk:
        with a_la_date(le(2022, 10, 10, 17)):
            services.ecrire_note(plan, par=coach, texte=NOTE_COACH)
    stdout.write(
        f"Notes et étiquettes : 2 étiquettes sur {len(candidatures)} candidatures 2027, "
        "2 notes de la gestionnaire, 1 de la coach."
    )
