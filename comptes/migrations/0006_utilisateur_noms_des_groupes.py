"""Les rôles recopiés sur la ligne de l'utilisateur (la recopie lit la table des groupes) et
la génération de ses sessions en cache."""

from django.db import migrations, models


def recopier(apps, schema_editor):
    Utilisateur = apps.get_model("comptes", "Utilisateur")
    Appartenance = Utilisateur.groups.through
    roles = {}
    for pk, nom in Appartenance.objects.values_list("utilisateur_id", "group__name").order_by(
        "utilisateur_id", "group__name"
    ):
        roles.setdefault(pk, []).append(nom)
    for pk, noms in roles.items():
        Utilisateur.objects.filter(pk=pk).update(noms_des_groupes=noms)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("comptes", "0005_programmes_et_structures_a_part"),
    ]

    operations = [
        migrations.AddField(
            model_name="utilisateur",
            name="noms_des_groupes",
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name="rôles"),
        ),
        migrations.AddField(
            model_name="utilisateur",
            name="generation_des_sessions",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        # Retour : rien à défaire, la colonne disparaît avec l'opération précédente.
        migrations.RunPython(recopier, migrations.RunPython.noop),
    ]
