"""Dit si des communes sont éligibles, avec les règles par défaut ou celles d'un appel."""

import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from territoires.eligibilite import (
    VERDICTS,
    CommuneInconnue,
    ReglesEligibilite,
    evaluer_eligibilite,
)


class Command(BaseCommand):
    help = (
        "Évalue l'éligibilité de communes (codes INSEE ; arrondissements et communes fusionnées "
        "acceptés). Sans --appel : population municipale < 21 000, aucun QPV de la liste la "
        "plus récente, pas de périmètre. Code de sortie 1 si un code est inconnu."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", metavar="CODE", help="Code INSEE de la commune.")
        parser.add_argument("--appel", metavar="SLUG", help="Appliquer les règles de cet appel.")
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help="Format de la réponse."
        )

    def handle(self, *args, codes, appel, format, **options):
        regles = self._regles_de_l_appel(appel) if appel else ReglesEligibilite()
        reponses = []
        inconnus = []
        for code in codes:
            try:
                reponses.append(evaluer_eligibilite(code, regles).en_dict())
            except CommuneInconnue as erreur:
                inconnus.append(code)
                reponses.append({"code": code, "error": str(erreur)})
        if format == "json":
            self.stdout.write(json.dumps(reponses, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n\n".join(self._en_texte(reponse) for reponse in reponses))
        if inconnus:
            raise CommandError(
                f"{len(inconnus)} code(s) inconnu(s) : {', '.join(inconnus)}.", returncode=1
            )

    def _regles_de_l_appel(self, slug):
        try:
            Appel = apps.get_model("programmes", "Appel")
        except LookupError as erreur:
            raise CommandError("Les appels ne sont pas encore disponibles.") from erreur
        appel = Appel.objects.filter(slug=slug).first()
        if appel is None:
            raise CommandError(f"Aucun appel « {slug} ».")
        return ReglesEligibilite.depuis_appel(appel)

    def _en_texte(self, reponse):
        if "error" in reponse:
            return f"{reponse['code']} : erreur — {reponse['error']}"
        return "\n".join(
            [f"{reponse['commune']} ({reponse['insee_code']}) : {VERDICTS[reponse['result']]}"]
            + [f"  - {raison}" for raison in reponse["reasons"]]
        )
