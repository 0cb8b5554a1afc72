import json

from django.core.management.base import BaseCommand, CommandError

from activite.bilan import calculer_bilan
from activite.presentation import lignes_texte
from programmes.models import Appel


class Command(BaseCommand):
    help = "Le bilan de clôture de la cohorte d'un appel, calculé à partir des saisies."

    def add_arguments(self, parser):
        parser.add_argument("--appel", required=True, metavar="SLUG")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, appel, format, **options):
        cible = Appel.objects.filter(slug=appel).first()
        if cible is None:
            raise CommandError(f"Aucun appel dont l'adresse est « {appel} ».")
        bilan = calculer_bilan(cible)
        if format == "json":
            self.stdout.write(json.dumps(bilan.en_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(lignes_texte(bilan)))
