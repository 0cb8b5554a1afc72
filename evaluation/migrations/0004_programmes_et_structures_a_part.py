"""Les clés vers les programmes, appels et structures suivent les modèles passés dans
`programmes` et `structures` : l'état seulement, les colonnes visent les mêmes tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0003_lettre_et_motif_non_retenue'),
        ('programmes', '0001_initial'),
        ('structures', '0001_initial'),
    ]

    run_before = [
        ('candidatures', '0003_programmes_et_structures_a_part'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='deliberation',
                    name='appel',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='deliberation', to='programmes.appel'),
                ),
                migrations.AlterField(
                    model_name='grille',
                    name='appel',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='grille', to='programmes.appel'),
                ),
                migrations.AlterField(
                    model_name='jury',
                    name='appel',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='jury', to='programmes.appel'),
                ),
                migrations.AlterField(
                    model_name='membrejury',
                    name='structure',
                    field=models.ForeignKey(blank=True, help_text="La structure où travaille ce membre, s'il y en a une parmi les candidates.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='structures.structure'),
                ),
            ],
            database_operations=[],
        ),
    ]
