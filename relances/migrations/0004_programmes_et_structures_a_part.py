"""Les clés vers les programmes, appels et structures suivent les modèles passés dans
`programmes` et `structures` : l'état seulement, les colonnes visent les mêmes tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0001_initial'),
        ('relances', '0003_date_de_reference'),
    ]

    run_before = [
        ('candidatures', '0003_programmes_et_structures_a_part'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='relance',
                    name='programme',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programmes.programme'),
                ),
            ],
            database_operations=[],
        ),
    ]
