"""Programme, Appel, Question et PieceDemandee passent dans `programmes`, Structure,
MembreStructure et InvitationStructure dans `structures`.

Rien ne bouge en base : les modèles gardent leurs tables (`Meta.db_table`) ; `candidatures` les
retire de son état une fois que `programmes` et `structures` les ont repris (leurs 0001) et que
les autres applications ont tourné leurs clés vers eux (`run_before` de leurs migrations).
Les types de contenu (`django_content_type`) changent d'application avec eux : le journal
(`Evenement.cible_type`), la messagerie (`Message.objet_type`), les réglages des relances et les
permissions qui les désignent suivent sans autre écriture.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELES = {
    "programme": "programmes",
    "appel": "programmes",
    "question": "programmes",
    "piecedemandee": "programmes",
    "structure": "structures",
    "membrestructure": "structures",
    "invitationstructure": "structures",
}


def _deplacer_les_types(apps, depart, arrivee):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for modele, application in MODELES.items():
        de, vers = depart(application), arrivee(application)
        ancien = ContentType.objects.filter(app_label=de, model=modele).first()
        if ancien is None:
            continue  # base neuve : post_migrate créera le type sous sa nouvelle application
        # Un type déjà créé à l'arrivée (post_migrate d'une migration interrompue) ne désigne
        # encore rien : il laisse la place à l'ancien, qui garde ses références.
        ContentType.objects.filter(app_label=vers, model=modele).delete()
        ancien.app_label = vers
        ancien.save(update_fields=["app_label"])


def vers_les_nouvelles_applications(apps, schema_editor):
    _deplacer_les_types(apps, lambda _a: "candidatures", lambda a: a)


def retour_dans_candidatures(apps, schema_editor):
    _deplacer_les_types(apps, lambda a: a, lambda _a: "candidatures")


class Migration(migrations.Migration):

    dependencies = [
        ("candidatures", "0002_stockage_des_pieces_jointes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0001_initial"),
        ("structures", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="candidature",
                    name="appel",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="candidatures",
                        to="programmes.appel",
                    ),
                ),
                migrations.AlterField(
                    model_name="candidature",
                    name="structure",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="candidatures",
                        to="structures.structure",
                    ),
                ),
                migrations.AlterField(
                    model_name="piecejointe",
                    name="piece_demandee",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programmes.piecedemandee",
                    ),
                ),
                migrations.AlterField(
                    model_name="piecejointe",
                    name="question",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programmes.question",
                    ),
                ),
                migrations.RemoveField(model_name="structure", name="membres"),
                migrations.DeleteModel(name="InvitationStructure"),
                migrations.DeleteModel(name="MembreStructure"),
                migrations.DeleteModel(name="Structure"),
                migrations.DeleteModel(name="Question"),
                migrations.DeleteModel(name="PieceDemandee"),
                migrations.DeleteModel(name="Appel"),
                migrations.DeleteModel(name="Programme"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(vers_les_nouvelles_applications, retour_dans_candidatures),
    ]
