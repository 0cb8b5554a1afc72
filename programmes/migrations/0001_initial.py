"""Programme, Appel, Question et PieceDemandee passent de `candidatures` à `programmes` : l'état seulement.

Les tables gardent leur nom (`candidatures_…`, `Meta.db_table`) : rien ne bouge en base, les
lignes restent où elles sont. `candidatures` 0003 retire ensuite ces modèles de son propre état."""

import django.db.models.deletion
import django.utils.timezone
import django_fsm
import journal.transitions
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('candidatures', '0002_stockage_des_pieces_jointes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Appel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('perimetre_epci', models.JSONField(blank=True, default=list, verbose_name='EPCI du périmètre (SIREN)')),
                        ('perimetre_departements', models.JSONField(blank=True, default=list, verbose_name='départements du périmètre')),
                        ('seuil_population', models.PositiveIntegerField(default=21000, verbose_name='seuil de population (strictement inférieur)')),
                        ('type_population', models.CharField(choices=[('municipale', 'Population municipale'), ('totale', 'Population totale')], default='municipale', max_length=20)),
                        ('version_qpv', models.CharField(blank=True, help_text='Vide : la liste la plus récente.', max_length=20, verbose_name='liste de QPV')),
                        ('qpv_intercommunal', models.CharField(choices=[('ineligible', 'Rend la commune non éligible'), ('a_examiner', 'À examiner par un gestionnaire')], default='ineligible', max_length=20, verbose_name='QPV intercommunal')),
                        ('types_structure', models.JSONField(blank=True, default=list, help_text='Vide : tous les types. Valeurs : ccas, cias, esat, association, centre_social, mediatheque, autre', verbose_name='types de structure acceptés')),
                        ('titre', models.CharField(max_length=200)),
                        ('slug', models.SlugField(help_text="L'adresse de la page publique de l'appel.", max_length=100, unique=True)),
                        ('description', models.TextField(blank=True, help_text='Mise en forme Markdown : **gras**, listes, liens, titres (##).')),
                        ('ouverture', models.DateTimeField(blank=True, null=True, verbose_name='ouverture des dépôts')),
                        ('date_limite', models.DateTimeField(blank=True, null=True, verbose_name='date limite de dépôt')),
                        ('nombre_places', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='nombre de places')),
                        ('etat', django_fsm.FSMField(choices=[('brouillon', 'Brouillon'), ('ouvert', 'Ouvert'), ('clos', 'Clos'), ('en_evaluation', 'En évaluation'), ('en_deliberation', 'En délibération'), ('decide', 'Décidé'), ('archive', 'Archivé')], default='brouillon', max_length=20, protected=True)),
                        ('regles_verifiees_le', models.DateTimeField(blank=True, null=True)),
                        ('publie_le', models.DateTimeField(blank=True, null=True)),
                        ('clos_le', models.DateTimeField(blank=True, null=True)),
                        ('cree_le', models.DateTimeField(default=django.utils.timezone.now)),
                        ('modifie_le', models.DateTimeField(auto_now=True)),
                        ('copie_de', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='copies', to='programmes.appel')),
                    ],
                    options={
                        'db_table': 'candidatures_appel',
                        'ordering': ['-date_limite', '-pk'],
                    },
                    bases=(journal.transitions.ModeleAEtats, models.Model),
                ),
                migrations.CreateModel(
                    name='PieceDemandee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ordre', models.PositiveSmallIntegerField(default=0)),
                        ('libelle', models.CharField(max_length=300, verbose_name='intitulé')),
                        ('aide', models.TextField(blank=True, verbose_name="texte d'aide")),
                        ('obligatoire', models.BooleanField(default=True)),
                        ('appel', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pieces_demandees', to='programmes.appel')),
                    ],
                    options={
                        'verbose_name': 'pièce demandée',
                        'verbose_name_plural': 'pièces demandées',
                        'db_table': 'candidatures_piecedemandee',
                        'ordering': ['ordre', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Programme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('nom', models.CharField(max_length=200)),
                        ('slug', models.SlugField(max_length=80, unique=True)),
                        ('partenaires', models.TextField(blank=True, help_text='Une organisation par ligne.', verbose_name='organisations partenaires')),
                        ('cree_le', models.DateTimeField(default=django.utils.timezone.now)),
                        ('gestionnaires', models.ManyToManyField(blank=True, db_table='candidatures_programme_gestionnaires', related_name='programmes_geres', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'candidatures_programme',
                        'ordering': ['nom'],
                    },
                ),
                migrations.AddField(
                    model_name='appel',
                    name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appels', to='programmes.programme'),
                ),
                migrations.CreateModel(
                    name='Question',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ordre', models.PositiveSmallIntegerField(default=0)),
                        ('type', models.CharField(choices=[('texte_court', 'Texte court'), ('texte_long', 'Texte long'), ('choix_unique', 'Choix unique'), ('choix_multiple', 'Choix multiple'), ('nombre', 'Nombre'), ('date', 'Date'), ('oui_non', 'Oui / non'), ('fichier', 'Fichier')], max_length=20)),
                        ('libelle', models.CharField(max_length=300, verbose_name='intitulé')),
                        ('aide', models.TextField(blank=True, verbose_name="texte d'aide")),
                        ('obligatoire', models.BooleanField(default=True)),
                        ('limite_caracteres', models.PositiveIntegerField(blank=True, null=True, verbose_name='nombre maximal de caractères')),
                        ('choix', models.JSONField(blank=True, default=list, verbose_name='choix proposés')),
                        ('appel', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='programmes.appel')),
                    ],
                    options={
                        'db_table': 'candidatures_question',
                        'ordering': ['ordre', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='appel',
                    constraint=models.CheckConstraint(condition=models.Q(('ouverture__isnull', True), ('date_limite__isnull', True), ('ouverture__lt', models.F('date_limite')), _connector='OR'), name='appel_ouverture_avant_date_limite'),
                ),
            ],
            database_operations=[],
        ),
    ]
