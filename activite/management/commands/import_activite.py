from django.core.management.base import BaseCommand, CommandError

from activite.importation import ImportIllisible, importer_activite, lire_chemin
from structures.models import Structure


class Command(BaseCommand):
    help = (
        "Importe l'activité d'une structure depuis un dossier de CSV (beneficiaires.csv, "
        "actions.csv, participations.csv, liste_attente.csv) ou un classeur XLSX aux feuilles "
        "de mêmes noms. À la moindre erreur, rien n'est importé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structure", required=True, metavar="SIRET")
        parser.add_argument("chemin", metavar="PATH")
        parser.add_argument(
            "--remplacer",
            action="store_true",
            help="Remplace toute l'activité déjà enregistrée pour la structure (d'un bloc).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifie seulement ; n'écrit rien."
        )

    def handle(self, *args, structure, chemin, remplacer, dry_run, **options):
        cible = Structure.objects.filter(siret=structure.replace(" ", "")).first()
        if cible is None:
            raise CommandError(f"Aucune structure de SIRET {structure}.")
        try:
            feuilles = lire_chemin(chemin)
        except ImportIllisible as erreur:
            raise CommandError(str(erreur)) from erreur
        rapport = importer_activite(cible, feuilles, remplacer=remplacer, essai=dry_run)
        if rapport.erreurs:
            for erreur in rapport.erreurs:
                self.stderr.write(str(erreur))
            raise CommandError(
                f"{len(rapport.erreurs)} erreur(s) : rien n'a été importé pour {cible.nom}."
            )
        comptes = rapport.comptes
        resume = (
            f"{comptes['beneficiaires']} bénéficiaire(s), {comptes['actions']} action(s), "
            f"{comptes['participations']} participation(s), "
            f"{comptes['listes_attente']} liste(s) d'attente"
        )
        if dry_run:
            self.stdout.write(
                f"Essai sans erreur pour {cible.nom} ; rien n'a été écrit : {resume}."
            )
        else:
            verbe = "remplacée par" if remplacer else "complétée de"
            self.stdout.write(self.style.SUCCESS(f"Activité de {cible.nom} {verbe} : {resume}."))
