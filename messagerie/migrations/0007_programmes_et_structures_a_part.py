"""Les clés vers les programmes, appels et structures suivent les modèles passés dans
`programmes` et `structures` : l'état seulement, les colonnes visent les mêmes tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messagerie', '0006_libelles_des_types'),
        ('programmes', '0001_initial'),
    ]

    run_before = [
        ('candidatures', '0003_programmes_et_structures_a_part'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='message',
                    name='programme',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='programmes.programme'),
                ),
            ],
            database_operations=[],
        ),
    ]
