"""Le cloisonnement par programme, en un seul endroit.

Chaque modèle qui relève d'un programme le dit : soit il porte un champ `programme`, soit il
déclare `chemin_du_programme`, le chemin ORM jusqu'à lui (« appel__programme »). Le programme
lui-même déclare `chemin_du_programme = ""`. De là viennent :
- `id_programme_de(objet)` pour les règles, la boîte d'envoi et les relances ;
- `geres_par(modele, utilisateur)`, le filtre des lignes des programmes gérés, pour les
  listes et les sélecteurs, et `gere(utilisateur, objet)` pour les règles ;
- `filtre_des_programmes_geres` pour les lignes qui relèvent d'un programme ou d'une personne.

Les droits d'une personne (programmes gérés, structures) sont lus une fois par requête et
gardés sur l'objet utilisateur ; `oublier_droits_en_cache` les fait relire.
"""

from django.db import models
from django.db.models import Q

_ATTRIBUTS_EN_CACHE = (
    "_ids_programmes_geres",
    "_ids_structures",
    "_ids_structures_responsable",
    "_ids_structures_laureates",
)


def _actif(utilisateur):
    return utilisateur.is_authenticated and utilisateur.is_active


def ids_programmes_geres(utilisateur):
    """Les programmes de ce gestionnaire, lus une fois par requête (gardés sur l'objet)."""
    if not _actif(utilisateur):
        return frozenset()
    if not hasattr(utilisateur, "_ids_programmes_geres"):
        utilisateur._ids_programmes_geres = frozenset(
            utilisateur.programmes_geres.values_list("pk", flat=True)
        )
    return utilisateur._ids_programmes_geres


def ids_structures(utilisateur):
    """Les structures pour lesquelles agit cet utilisateur, lues une fois par requête."""
    if not _actif(utilisateur):
        return frozenset()
    if not hasattr(utilisateur, "_ids_structures"):
        utilisateur._ids_structures = frozenset(
            utilisateur.adhesions.values_list("structure_id", flat=True)
        )
    return utilisateur._ids_structures


def oublier_droits_en_cache(utilisateur):
    for attribut in _ATTRIBUTS_EN_CACHE:
        utilisateur.__dict__.pop(attribut, None)


def chemin_du_programme(modele):
    """Le chemin ORM du modèle à son programme : "" pour le programme, None s'il n'en relève
    d'aucun (un compte, une structure, une invitation sur la plateforme)."""
    chemin = getattr(modele, "chemin_du_programme", None)
    if chemin is not None:
        return chemin
    if any(champ.attname == "programme_id" for champ in modele._meta.concrete_fields):
        return "programme"
    return None


def id_programme_de(objet):
    """L'identifiant du programme dont relève l'objet, ou None."""
    if not isinstance(objet, models.Model):
        return None
    chemin = chemin_du_programme(type(objet))
    if chemin is None:
        return None
    if chemin == "":
        return objet.pk
    *parents, dernier = chemin.split("__")
    for parent in parents:
        objet = getattr(objet, parent)
        if objet is None:
            return None
    return getattr(objet, f"{dernier}_id")


def avec_le_chemin_du_programme(queryset):
    """Le queryset qui charge d'un coup les objets par lesquels passe `id_programme_de`
    (« appel » pour une candidature) : vérifier le programme d'une liste d'objets ne fait
    plus une requête par objet."""
    chemin = chemin_du_programme(queryset.model) or ""
    if "__" not in chemin:
        return queryset
    return queryset.select_related(chemin.rsplit("__", 1)[0])


def champ_du_programme(modele):
    """Le champ ORM de l'identifiant du programme (« appel__programme_id »), pour filtrer."""
    chemin = chemin_du_programme(modele)
    if chemin is None:
        raise TypeError(f"{modele.__name__} ne relève d'aucun programme")
    return "pk" if chemin == "" else f"{chemin}_id"


def geres_par(modele, utilisateur):
    """Le filtre (Q) des lignes de `modele` qui relèvent des programmes que cette personne gère
    (aucune pour les autres) : `Appel.objects.filter(geres_par(Appel, utilisateur))`."""
    return Q(**{f"{champ_du_programme(modele)}__in": ids_programmes_geres(utilisateur)})


def gere(utilisateur, objet):
    """Cette personne gère-t-elle le programme dont relève `objet` ? Non pour un objet qui ne
    relève d'aucun programme."""
    id_programme = id_programme_de(objet)
    return id_programme is not None and id_programme in ids_programmes_geres(utilisateur)


def filtre_des_programmes_geres(utilisateur, *, adresse_a):
    """Le filtre des lignes (courriels, relances) qu'un gestionnaire peut voir : celles des
    programmes qu'il gère et celles qui lui sont adressées (champ `adresse_a`) ; tout pour
    l'administration de la plateforme. Le champ `programme` de la ligne dit d'où elle relève."""
    if utilisateur.is_active and utilisateur.is_superuser:
        return Q()
    return Q(programme_id__in=ids_programmes_geres(utilisateur)) | Q(**{adresse_a: utilisateur.pk})
