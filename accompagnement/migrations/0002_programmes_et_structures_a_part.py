"""Les clés vers les programmes, appels et structures suivent les modèles passés dans
`programmes` et `structures` : l'état seulement, les colonnes visent les mêmes tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accompagnement', '0001_initial'),
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
                    model_name='comitecloture',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comites_cloture', to='programmes.programme'),
                ),
                migrations.AlterField(
                    model_name='formation',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='formations', to='programmes.programme'),
                ),
                migrations.AlterField(
                    model_name='kit',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kits', to='programmes.programme'),
                ),
                migrations.AlterField(
                    model_name='modelejalon',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='modele_jalons', to='programmes.programme'),
                ),
                migrations.AlterField(
                    model_name='planaccompagnement',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans_accompagnement', to='programmes.programme'),
                ),
                migrations.AlterField(
                    model_name='planaccompagnement',
                    name='structure',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans_accompagnement', to='structures.structure'),
                ),
                migrations.AlterField(
                    model_name='referent',
                    name='structure',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='referents', to='structures.structure'),
                ),
                migrations.AlterField(
                    model_name='sensibilisationecosysteme',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sensibilisations', to='programmes.programme'),
                ),
            ],
            database_operations=[],
        ),
    ]
