from celery import shared_task

from telechargements import preparation


@shared_task(name="telechargements.preparer_export", acks_late=True)
def preparer_export(*, telechargement_id):
    """Prépare un export demandé ; relancée en double, elle n'écrit qu'un fichier et n'envoie
    qu'un courriel (telechargements/preparation.py)."""
    preparation.preparer(telechargement_id)


@shared_task(name="telechargements.rattraper_exports")
def rattraper_exports():
    """Republie les exports dont la tâche s'est perdue ; renvoie leur nombre."""
    ids = list(preparation.a_preparer().values_list("pk", flat=True))
    for pk in ids:
        preparer_export.apply_async(kwargs={"telechargement_id": pk})
    return len(ids)


@shared_task(name="telechargements.purger_exports")
def purger_exports():
    """Efface les exports expirés et leurs fichiers ; renvoie leur nombre."""
    return preparation.purger()
