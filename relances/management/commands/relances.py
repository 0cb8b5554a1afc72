from django.core.management.base import BaseCommand
from django.utils import timezone

from relances import services
from relances.selectors import relances_dues


def decrire(due):
    if due.desactivee:
        sort = "non envoyée (désactivée par la personne)"
    elif due.en_resume:
        sort = "dans le résumé du jour"
    else:
        sort = "envoyée"
    signe = f"J{due.decalage:+d}" if due.decalage else "J0"
    return (
        f"{due.type_relance.code} {signe} → {due.destinataire.email} "
        f"[{due.objet._meta.verbose_name} n° {due.objet.pk} : {due.objet}] : {sort}"
    )


class Command(BaseCommand):
    help = (
        "Balaie les relances dues maintenant (--dry-run : dit ce qui partirait, sans rien créer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="n'envoie rien, liste seulement")

    def handle(self, *args, dry_run=False, **options):
        maintenant = timezone.now()
        if dry_run:
            dues = relances_dues(maintenant)
            for due in dues:
                self.stdout.write(decrire(due))
            self.stdout.write(f"{len(dues)} relance(s) due(s) maintenant.")
            return
        bilan = services.balayer(maintenant)
        self.stdout.write(
            f"{bilan.mises_en_envoi} relance(s) mise(s) en envoi, {bilan.en_resume} pour le "
            f"résumé du jour, {bilan.desactivees} désactivée(s) par leur destinataire."
        )
