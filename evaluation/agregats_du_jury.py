"""Les agrégats du jury de chaque candidature (`AgregatsDuJury`), tenus à jour dans la
transaction de l'écriture qui les change.

Une note compte ou cesse de compter quand une évaluation s'enregistre (total sur 20), se
valide, repasse en brouillon ou s'efface, et quand un membre déclare un conflit. Chacune de
ces écritures passe par `save()` ou `delete()` d'une `Evaluation` ou d'une `ConflitInterets` :
les signaux ci-dessous recalculent alors, en SQL et dans la même transaction, les agrégats de
la candidature touchée, avec la même règle que le classement en direct (`note_comptee`). Une
écriture annulée annule son recalcul ; le classement et l'API lisent ces lignes au lieu
d'agréger toutes les notes de l'appel à chaque page.

Un effacement en cascade depuis la candidature (ou ce qui la contient) ne recalcule rien : la
ligne des agrégats part avec elle.
"""

from django.db.models import Avg, Count, QuerySet, StdDev
from django.db.models.signals import post_delete, post_save

from candidatures.models import Candidature
from evaluation.agregats import Mediane
from evaluation.models import (
    Affectation,
    AgregatsDuJury,
    ConflitInterets,
    Evaluation,
    Jury,
    MembreJury,
    Note,
)
from evaluation.selectors import (
    NOTE_COMPTEE_DE_LA_CANDIDATURE,
    note_comptee,
    sous_requete_recusations,
)

CHAMPS = ["moyenne", "mediane", "ecart_type", "nombre_notes", "nombre_recusations"]

# Les effacements qui laissent les candidatures en place : leurs agrégats se recalculent.
ORIGINES_SANS_LA_CANDIDATURE = (Evaluation, ConflitInterets, Affectation, MembreJury, Jury, Note)


def agregats_en_direct():
    """Les annotations qui calculent les agrégats depuis les notes, sur des candidatures."""
    validees = note_comptee(**NOTE_COMPTEE_DE_LA_CANDIDATURE)
    total = "affectations__evaluation__total_sur_20"
    return {
        "moyenne": Avg(total, filter=validees),
        "mediane": Mediane(total, filter=validees),
        "ecart_type": StdDev(total, filter=validees, sample=False),
        "nombre_notes": Count("affectations__evaluation", filter=validees),
        "nombre_recusations": sous_requete_recusations(),
    }


def recalculer(candidatures):
    """Recalcule et enregistre les agrégats de ces candidatures (un QuerySet sans jointure
    multiple : filtrer par `pk__in`) ; deux requêtes. Renvoie le nombre de lignes écrites."""
    lignes = list(candidatures.order_by().values("pk").annotate(**agregats_en_direct()))
    if not lignes:
        return 0
    AgregatsDuJury.objects.bulk_create(
        [
            AgregatsDuJury(candidature_id=ligne["pk"], **{c: ligne[c] for c in CHAMPS})
            for ligne in lignes
        ],
        update_conflicts=True,
        unique_fields=["candidature"],
        update_fields=CHAMPS,
    )
    return len(lignes)


def _garde_la_candidature(origin):
    modele = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(modele, ORIGINES_SANS_LA_CANDIDATURE)


def _apres_evaluation(sender, instance, **kwargs):
    if "origin" in kwargs and not _garde_la_candidature(kwargs["origin"]):
        return
    recalculer(
        Candidature.objects.filter(
            pk__in=Affectation.objects.filter(pk=instance.affectation_id).values("candidature_id")
        )
    )


def _apres_declaration(sender, instance, **kwargs):
    if "origin" in kwargs and not _garde_la_candidature(kwargs["origin"]):
        return
    recalculer(Candidature.objects.filter(pk=instance.candidature_id))


def brancher():
    """Branche les recalculs (appelé par EvaluationConfig.ready)."""
    for signal in (post_save, post_delete):
        signal.connect(_apres_evaluation, sender=Evaluation, dispatch_uid=f"agregats_{signal}")
        signal.connect(
            _apres_declaration, sender=ConflitInterets, dispatch_uid=f"agregats_c_{signal}"
        )
