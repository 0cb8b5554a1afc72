from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from demo import candidatures as demo_candidatures
from demo.accompagnement import charger_accompagnement
from demo.activite import charger_activite
from demo.annotations import charger_annotations
from demo.comptes_demo import COMPTES_DEMO, MOT_DE_PASSE_DEMO, STRUCTURE_DU_COMPTE
from demo.conditions import charger_conditions
from demo.crochets import charger_crochets
from demo.donnees_ouvertes import charger_donnees_ouvertes
from demo.envois import charger_envois
from demo.fils import charger_fils
from demo.modeles import charger_modeles
from demo.versions import charger_versions


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration, jouées par les services de l'application "
        "(idempotent : une histoire déjà jouée ne l'est pas deux fois)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        Utilisateur = get_user_model()
        for email, prenom, nom, role in COMPTES_DEMO:
            utilisateur, cree = Utilisateur.objects.update_or_create(
                email=email, defaults={"first_name": prenom, "last_name": nom}
            )
            if cree or not utilisateur.check_password(MOT_DE_PASSE_DEMO):
                utilisateur.set_password(MOT_DE_PASSE_DEMO)
                utilisateur.save(update_fields=["password"])
            utilisateur.groups.set([Group.objects.get_or_create(name=role)[0]])
            EmailAddress.objects.update_or_create(
                user=utilisateur, email=email, defaults={"verified": True, "primary": True}
            )
        # Après les comptes : l'histoire est jouée par eux (la gestionnaire publie l'appel, la
        # candidate dépose, le jury note…), chacun à sa date.
        demo_candidatures.charger(self.stdout)
        charger_accompagnement(self.stdout)
        charger_activite(self.stdout)
        charger_versions(self.stdout)
        charger_annotations(self.stdout)
        charger_modeles(self.stdout)
        charger_envois(self.stdout)
        charger_conditions(self.stdout)
        charger_fils(self.stdout)
        charger_donnees_ouvertes(self.stdout)
        charger_crochets(self.stdout)
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        self.stdout.write("")
        self.stdout.write(f"Relais : {settings.SITE_URL}")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {MOT_DE_PASSE_DEMO}) :")
        for email, _prenom, _nom, role in COMPTES_DEMO:
            structure = STRUCTURE_DU_COMPTE.get(email)
            self.stdout.write(
                f"  {role.label:<28} {email}" + (f" ({structure})" if structure else "")
            )
