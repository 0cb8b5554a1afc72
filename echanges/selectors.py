"""Les lectures des fils : les messages d'un fil, les non-lus d'une liste d'objets."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from echanges import registre
from echanges.models import Lecture, MessageFil


def _messages_non_lus(utilisateur, cibles):
    """Les messages non lus par cette personne dans les fils de ces cibles (un Q sur le type et
    l'identifiant de l'objet du fil). Ses propres messages ne comptent pas."""
    lu_jusqu_a = Lecture.objects.filter(fil=OuterRef("fil"), utilisateur=utilisateur).values(
        "dernier_message_lu"
    )[:1]
    return (
        MessageFil.objects.filter(cibles)
        .exclude(auteur=utilisateur)
        .annotate(lu_jusqu_a=Subquery(lu_jusqu_a))
        .filter(Q(lu_jusqu_a__isnull=True) | Q(pk__gt=F("lu_jusqu_a")))
        .order_by()
    )


def _cibles(modele, ids):
    return Q(fil__cible_type=ContentType.objects.get_for_model(modele), fil__cible_id__in=ids)


def non_lus(utilisateur, objets):
    """{pk de l'objet: nombre de messages non lus par cette personne} pour ces objets (d'un
    même modèle : une liste ou un queryset), en une requête ; les objets sans message non lu
    n'y sont pas. Ses propres messages ne comptent pas."""
    if not utilisateur.is_authenticated:
        return {}
    if isinstance(objets, QuerySet):
        modele, ids = objets.model, objets.values("pk")
    else:
        objets = list(objets)
        if not objets:
            return {}
        modele, ids = type(objets[0]), [objet.pk for objet in objets]
    lignes = (
        _messages_non_lus(utilisateur, _cibles(modele, ids))
        .values("fil__cible_id")
        .annotate(nombre=Count("pk"))
    )
    return {ligne["fil__cible_id"]: ligne["nombre"] for ligne in lignes}


def total_non_lus(utilisateur):
    """Le nombre de messages non lus par cette personne dans tous les fils qu'elle peut lire,
    en une requête (chaque type de fil y pose sa condition : l'objet visible par elle)."""
    if not utilisateur.is_authenticated:
        return 0
    cibles = Q(pk__in=[])
    for type_de_fil in registre.types_de_fil():
        cibles |= _cibles(type_de_fil.modele, type_de_fil.visibles_par(utilisateur).values("pk"))
    return _messages_non_lus(utilisateur, cibles).count()


def messages_du_fil(fil):
    if fil is None:
        return []
    return list(fil.messages.select_related("auteur").prefetch_related("pieces"))


def peut_lire(utilisateur, objet, fil):
    """Lire le fil : le droit de l'objet, ou la lecture partagée (le jury) d'un fil partagé."""
    type_de_fil = registre.du_modele(type(objet))
    if utilisateur.has_perm(type_de_fil.regle_lire, objet):
        return True
    partage = registre.lecture_partagee(type(objet))
    return bool(
        fil is not None
        and fil.partage_jury
        and partage is not None
        and utilisateur.has_perm(partage.regle_lire, objet)
    )


def peut_telecharger(utilisateur, objet, fil):
    type_de_fil = registre.du_modele(type(objet))
    if utilisateur.has_perm(type_de_fil.regle_lire, objet):
        return True
    partage = registre.lecture_partagee(type(objet))
    return bool(
        fil.partage_jury
        and partage is not None
        and utilisateur.has_perm(partage.regle_telecharger, objet)
    )
