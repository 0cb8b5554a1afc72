"""Les changements d'état journalisés par django-fsm-log (table django_fsm_log_statelog) passent
au journal (Evenement de type « changement_etat »). La table est lue en SQL, seulement si elle
existe : la migration marche encore une fois django-fsm-log retiré. Chaque ligne copiée garde le
numéro de sa ligne d'origine (donnees["statelog"]) ; le retour arrière supprime ces copies."""

from datetime import UTC

from django.db import migrations
from django.utils import timezone
from django.utils.dateparse import parse_datetime

TABLE = "django_fsm_log_statelog"
PAR_LOT = 2000


def _instant(valeur):
    if isinstance(valeur, str):
        valeur = parse_datetime(valeur)
    if timezone.is_naive(valeur):
        valeur = timezone.make_aware(valeur, UTC)
    return valeur


def copier(apps, schema_editor):
    connexion = schema_editor.connection
    if TABLE not in connexion.introspection.table_names():
        return
    Evenement = apps.get_model("journal", "Evenement")
    with connexion.cursor() as curseur:
        curseur.execute(
            "SELECT id, timestamp, by_id, source_state, state, transition, content_type_id, "
            "object_id, description FROM django_fsm_log_statelog ORDER BY id"
        )
        while lignes := curseur.fetchmany(PAR_LOT):
            Evenement.objects.using(connexion.alias).bulk_create(
                Evenement(
                    type="changement_etat",
                    acteur_id=par,
                    survenu_le=_instant(quand),
                    cible_type_id=type_id,
                    cible_id=objet_id,
                    motif=description or "",
                    transition=transition,
                    depuis=depuis or "",
                    vers=vers,
                    donnees={"statelog": pk},
                )
                for pk, quand, par, depuis, vers, transition, type_id, objet_id, description in (
                    lignes
                )
            )


def retirer(apps, schema_editor):
    Evenement = apps.get_model("journal", "Evenement")
    Evenement.objects.using(schema_editor.connection.alias).filter(
        type="changement_etat", donnees__has_key="statelog"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0004_transitions"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copier, retirer)]
