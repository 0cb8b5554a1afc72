"""Les clés vers les programmes, appels et structures suivent les modèles passés dans
`programmes` et `structures` : l'état seulement, les colonnes visent les mêmes tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activite', '0004_pdf_du_bilan'),
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
                    model_name='action',
                    name='structure',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='structures.structure'),
                ),
                migrations.AlterField(
                    model_name='beneficiaire',
                    name='structure',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='beneficiaires', to='structures.structure'),
                ),
                migrations.AlterField(
                    model_name='listeattente',
                    name='structure',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='listes_attente', to='structures.structure'),
                ),
                migrations.AlterField(
                    model_name='pdfdubilan',
                    name='appel',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.appel'),
                ),
                migrations.AlterField(
                    model_name='versionactivite',
                    name='structure',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='version_activite', serialize=False, to='structures.structure'),
                ),
            ],
            database_operations=[],
        ),
    ]
