import datetime

from django.db import migrations, models


def bail_des_envois_en_cours(apps, schema_editor):
    """Les envois en cours au déploiement reçoivent le bail qu'ils auraient eu : sans lui, le
    rattrapage (qui ne lit que les baux expirés) ne les reprendrait jamais."""
    Message = apps.get_model("messagerie", "Message")
    Message.objects.filter(etat="en_cours", bail_expire_le=None).update(
        bail_expire_le=models.F("modifie_le") + datetime.timedelta(minutes=2)
    )


class Migration(migrations.Migration):

    dependencies = [
        ("messagerie", "0003_pieces_a_produire"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="bail_expire_le",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("etat", "en_cours")),
                fields=["bail_expire_le"],
                name="message_bail_en_cours",
            ),
        ),
        migrations.RunPython(bail_des_envois_en_cours, migrations.RunPython.noop),
    ]
