"""Structure, MembreStructure et InvitationStructure passent de `candidatures` à `structures` : l'état seulement.

Les tables gardent leur nom (`candidatures_…`, `Meta.db_table`) : rien ne bouge en base, les
lignes restent où elles sont. `candidatures` 0003 retire ensuite ces modèles de son propre état."""

import django.db.models.deletion
import django.utils.timezone
import structures.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('candidatures', '0002_stockage_des_pieces_jointes'),
        ('territoires', '0003_communes_rattachees'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MembreStructure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('est_responsable', models.BooleanField(default=False, verbose_name='responsable')),
                        ('ajoute_le', models.DateTimeField(default=django.utils.timezone.now)),
                        ('utilisateur', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='adhesions', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': "membre d'une structure",
                        'verbose_name_plural': 'membres des structures',
                        'db_table': 'candidatures_membrestructure',
                    },
                ),
                migrations.CreateModel(
                    name='Structure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('nom', models.CharField(max_length=200)),
                        ('type', models.CharField(choices=[('ccas', 'CCAS'), ('cias', 'CIAS'), ('esat', 'ESAT'), ('association', 'Association'), ('centre_social', 'Centre social'), ('mediatheque', 'Médiathèque'), ('autre', 'Autre')], max_length=20)),
                        ('siret', models.CharField(error_messages={'unique': 'Une structure avec ce SIRET existe déjà sur Relais : demandez à une personne de cette structure de vous inviter.'}, max_length=14, unique=True, validators=[structures.validators.valider_siret], verbose_name='SIRET')),
                        ('adresse', models.CharField(max_length=255)),
                        ('code_postal', models.CharField(max_length=5)),
                        ('contact_nom', models.CharField(max_length=150, verbose_name='nom de la personne à contacter')),
                        ('contact_fonction', models.CharField(blank=True, max_length=150, verbose_name='fonction')),
                        ('contact_email', models.EmailField(max_length=254, verbose_name='adresse électronique de contact')),
                        ('contact_telephone', models.CharField(max_length=20, verbose_name='téléphone')),
                        ('nom_recherche', models.CharField(db_index=True, editable=False, max_length=200)),
                        ('creee_le', models.DateTimeField(default=django.utils.timezone.now)),
                        ('modifiee_le', models.DateTimeField(auto_now=True)),
                        ('commune', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='structures', to='territoires.commune')),
                        ('membres', models.ManyToManyField(related_name='structures', through='structures.MembreStructure', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'candidatures_structure',
                        'ordering': ['nom'],
                    },
                ),
                migrations.AddField(
                    model_name='membrestructure',
                    name='structure',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='adhesions', to='structures.structure'),
                ),
                migrations.CreateModel(
                    name='InvitationStructure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('empreinte_jeton', models.CharField(editable=False, max_length=64, unique=True)),
                        ('creee_le', models.DateTimeField(default=django.utils.timezone.now)),
                        ('expire_le', models.DateTimeField()),
                        ('acceptee_le', models.DateTimeField(blank=True, null=True)),
                        ('email', models.EmailField(max_length=254, verbose_name='adresse électronique')),
                        ('acceptee_par', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('invitee_par', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('structure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='structures.structure')),
                    ],
                    options={
                        'verbose_name': 'invitation dans une structure',
                        'verbose_name_plural': 'invitations dans les structures',
                        'db_table': 'candidatures_invitationstructure',
                        'ordering': ['-creee_le'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='membrestructure',
                    constraint=models.UniqueConstraint(fields=('structure', 'utilisateur'), name='membre_unique_par_structure'),
                ),
            ],
            database_operations=[],
        ),
    ]
