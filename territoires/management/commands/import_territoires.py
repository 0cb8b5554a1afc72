"""Charge les données de référence : celles livrées avec Relais, ou un fichier officiel plus
récent (populations légales INSEE, liste des QPV de l'ANCT, y compris celle de 2015)."""

import time

from django.core.management.base import BaseCommand, CommandError

from territoires import services
from territoires.enums import TypeImport
from territoires.exceptions import FichierInvalide


class Command(BaseCommand):
    help = (
        "Sans option : charge les noms des EPCI, les communes, populations 2023, correspondances "
        "de codes, communes déléguées, associées et arrondissements, et QPV 2024 livrés dans "
        "territoires/donnees/. Avec une option : importe ce fichier-là. "
        "Idempotent : un second passage ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--communes", metavar="FICHIER", help="Communes au format de territoires/donnees."
        )
        parser.add_argument(
            "--populations",
            metavar="FICHIER",
            help="Populations légales INSEE (colonnes COM ou DEP+CODCOM, PMUN, PTOT).",
        )
        parser.add_argument(
            "--annee", metavar="AAAA", help="Millésime des populations légales du fichier."
        )
        parser.add_argument(
            "--qpv",
            metavar="FICHIER",
            help="Liste des QPV : CSV de l'ANCT (code_qp, lib_qp, insee_com) ou format livré.",
        )
        parser.add_argument(
            "--version-qpv",
            metavar="VERSION",
            default="",
            help="Version de la liste (QPV2015, QPV2024) ; déduite des codes si absente.",
        )
        parser.add_argument(
            "--epci", metavar="FICHIER", help="Noms des EPCI (epci_siren, name) ou liste DGCL."
        )
        parser.add_argument(
            "--rattachees",
            metavar="FICHIER",
            help="Communes déléguées, associées et arrondissements municipaux, avec leur commune "
            "(insee_code, name, type, parent_insee_code, department_code).",
        )
        parser.add_argument(
            "--correspondances",
            metavar="FICHIER",
            help="Anciens codes et leur commune (ancien_code, code_insee, motif, depuis).",
        )

    def handle(self, *args, **options):
        debut = time.perf_counter()
        demandes = [
            (TypeImport.EPCI, options["epci"], ""),
            (TypeImport.COMMUNES, options["communes"], ""),
            (TypeImport.CORRESPONDANCES, options["correspondances"], ""),
            (TypeImport.RATTACHEES, options["rattachees"], ""),
            (TypeImport.POPULATIONS, options["populations"], options["annee"]),
            (TypeImport.QPV, options["qpv"], options["version_qpv"]),
        ]
        demandes = [(type_import, f, m) for type_import, f, m in demandes if f]
        if options["annee"] and not options["populations"]:
            raise CommandError("--annee ne sert qu'avec --populations.")
        try:
            if not demandes:
                self.stdout.write("Chargement des données de référence livrées avec Relais.")
                bilans = services.importer_donnees_livrees(rapporter=self._rapporter)
            else:
                bilans = [
                    services.importer_fichier(
                        type_import, fichier, millesime=millesime, rapporter=self._rapporter
                    )
                    for type_import, fichier, millesime in demandes
                ]
        except FichierInvalide as erreur:
            raise CommandError(str(erreur)) from erreur
        self.stdout.write("Bilan :")
        for bilan in bilans:
            self.stdout.write(f"- {bilan.phrase()}")
            for detail in bilan.details:
                self.stdout.write(f"  {detail}")
            for avertissement in bilan.avertissements:
                self.stdout.write(self.style.WARNING(f"  Attention : {avertissement}"))
        duree = time.perf_counter() - debut
        self.stdout.write(
            self.style.SUCCESS(
                "Données de référence à jour (" + f"{duree:.1f}".replace(".", ",") + " s)."
            )
        )

    def _rapporter(self, texte):
        self.stdout.write(texte)
