"""Les agrégats du jury enregistrés par candidature, remplis depuis les notes existantes avec la
règle du classement (validées, d'un membre sans conflit déclaré)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Avg, Count, Exists, OuterRef, Q, StdDev, Subquery
from django.db.models.functions import Coalesce

from evaluation.agregats import Mediane

CHAMPS = ["moyenne", "mediane", "ecart_type", "nombre_notes", "nombre_recusations"]


def remplir(apps, schema_editor):
    Candidature = apps.get_model("candidatures", "Candidature")
    Affectation = apps.get_model("evaluation", "Affectation")
    ConflitInterets = apps.get_model("evaluation", "ConflitInterets")
    AgregatsDuJury = apps.get_model("evaluation", "AgregatsDuJury")
    conflit = ConflitInterets.objects.filter(
        membre=OuterRef("affectations__membre"), candidature=OuterRef("pk"), en_conflit=True
    )
    validees = Q(affectations__evaluation__etat="validee") & ~Exists(conflit)
    total = "affectations__evaluation__total_sur_20"
    recusations = Coalesce(
        Subquery(
            ConflitInterets.objects.filter(candidature=OuterRef("pk"), en_conflit=True)
            .values("candidature")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=models.IntegerField(),
        ),
        0,
    )
    lignes = (
        Candidature.objects.filter(
            Q(pk__in=Affectation.objects.values("candidature_id"))
            | Q(pk__in=ConflitInterets.objects.values("candidature_id"))
        )
        .order_by()
        .values("pk")
        .annotate(
            moyenne=Avg(total, filter=validees),
            mediane=Mediane(total, filter=validees),
            ecart_type=StdDev(total, filter=validees, sample=False),
            nombre_notes=Count("affectations__evaluation", filter=validees),
            nombre_recusations=recusations,
        )
    )
    AgregatsDuJury.objects.bulk_create(
        (
            AgregatsDuJury(candidature_id=ligne["pk"], **{c: ligne[c] for c in CHAMPS})
            for ligne in lignes.iterator()
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("candidatures", "0005_versions_deposees_reprise"),
        ("evaluation", "0004_programmes_et_structures_a_part"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgregatsDuJury",
            fields=[
                (
                    "candidature",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="agregats_jury",
                        serialize=False,
                        to="candidatures.candidature",
                    ),
                ),
                ("moyenne", models.FloatField(null=True)),
                ("mediane", models.FloatField(null=True)),
                ("ecart_type", models.FloatField(null=True)),
                ("nombre_notes", models.PositiveIntegerField(default=0)),
                ("nombre_recusations", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "agrégats du jury",
                "verbose_name_plural": "agrégats du jury",
            },
        ),
        migrations.RunPython(remplir, migrations.RunPython.noop),
    ]
