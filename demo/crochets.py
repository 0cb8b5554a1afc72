"""Le webhook de la démo : la gestionnaire a préparé l'envoi des dépôts et des plans clos à
l'outil d'un partenaire, encore désactivé (l'adresse est illustrative : rien ne part). Sa
page montre le secret, les événements suivis et le journal vide. Idempotent."""

from django.contrib.auth import get_user_model

from crochets.models import Abonnement
from demo.candidatures import GESTIONNAIRE_DEMO, PROGRAMME
from journal.enums import TypeEvenement
from journal.services import journaliser
from programmes.models import Programme

URL = "https://partenaire.example/relais"
EVENEMENTS = ["candidature.deposee", "plan.clos", "activite.importee"]


def charger_crochets(stdout):
    gestionnaire = get_user_model().objects.filter(email=GESTIONNAIRE_DEMO).first()
    programme = Programme.objects.filter(slug=PROGRAMME["slug"]).first()
    if programme is None or gestionnaire is None:
        stdout.write("Webhooks : programme ou gestionnaire de démo absent.")
        return
    # Créé sans le service : l'adresse d'exemple ne se résout pas, et le webhook reste inactif.
    abonnement, cree = Abonnement.objects.get_or_create(
        programme=programme,
        url=URL,
        defaults={"evenements": EVENEMENTS, "actif": False, "cree_par": gestionnaire},
    )
    if cree:
        journaliser(
            TypeEvenement.WEBHOOK_CREE,
            cible=programme,
            acteur=gestionnaire,
            donnees={"webhook": abonnement.pk, "url": URL, "evenements": EVENEMENTS},
        )
    stdout.write("Webhooks : un webhook du programme, désactivé.")
