from django.db import migrations

# Recopiés ici plutôt qu'importés : une migration ne doit pas changer si le code bouge.
THEMES = [
    "Accès aux droits",
    "Sécurité et arnaques en ligne",
    "Réseaux sociaux et cyberharcèlement",
    "Réglages du téléphone",
    "Démarches administratives en ligne",
    "Usage d'une application",
]


def creer_themes(apps, schema_editor):
    from territoires.normalisation import forme_de_recherche

    Theme = apps.get_model("activite", "Theme")
    for ordre, libelle in enumerate(THEMES, 1):
        Theme.objects.get_or_create(
            libelle=libelle,
            defaults={"ordre": ordre, "libelle_recherche": forme_de_recherche(libelle)},
        )


def retirer_themes(apps, schema_editor):
    Theme = apps.get_model("activite", "Theme")
    Theme.objects.filter(libelle__in=THEMES, actions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("activite", "0001_initial")]

    operations = [migrations.RunPython(creer_themes, retirer_themes)]
