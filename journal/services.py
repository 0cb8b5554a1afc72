"""Écritures du journal. Les services métier l'appellent ; les vues jamais."""

from django.contrib.contenttypes.models import ContentType

from journal.models import Evenement


def journaliser(type_evenement, *, cible=None, acteur=None, motif="", donnees=None):
    """Ajoute un événement au journal et le renvoie."""
    return Evenement.objects.create(
        type=type_evenement,
        acteur=acteur if acteur is not None and acteur.is_authenticated else None,
        cible_type=ContentType.objects.get_for_model(cible) if cible is not None else None,
        cible_id=cible.pk if cible is not None else None,
        motif=motif,
        donnees=donnees or {},
    )
