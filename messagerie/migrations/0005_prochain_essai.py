import datetime

from django.db import migrations, models


def essai_des_echecs_en_attente(apps, schema_editor):
    """Les échecs qui ont encore droit à un essai au déploiement reçoivent sa date (au plus
    tard une heure après le dernier) : le rattrapage les refera si leur tâche s'est perdue."""
    Message = apps.get_model("messagerie", "Message")
    Message.objects.filter(etat="echec", tentatives__lt=5, prochain_essai_le=None).update(
        prochain_essai_le=models.F("modifie_le") + datetime.timedelta(hours=1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("messagerie", "0004_bail"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="prochain_essai_le",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("etat", "echec")),
                fields=["prochain_essai_le"],
                name="message_essai_en_echec",
            ),
        ),
        migrations.RunPython(essai_des_echecs_en_attente, migrations.RunPython.noop),
    ]
