"""Les lectures des notes privées et des étiquettes, pour les pages et les listes des
applications du dessus (qui appellent ces fonctions directement)."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from annotations.models import Etiquetage, Etiquette, NotePrivee


def _du_modele(modele, prefixe="cible_type"):
    """Le filtre sur le type de contenu par jointure : pas de requête pour lire le type."""
    return {
        f"{prefixe}__app_label": modele._meta.app_label,
        f"{prefixe}__model": modele._meta.model_name,
    }


def notes_de(cible):
    """Les notes de la cible, la plus récente d'abord, avec leur auteur."""
    return NotePrivee.objects.filter(
        cible_type=ContentType.objects.get_for_model(cible), cible_id=cible.pk
    ).select_related("auteur")


def etiquettes_de(cible):
    """Les étiquettes posées sur la cible, par nom."""
    return Etiquette.objects.filter(
        etiquetages__cible_type=ContentType.objects.get_for_model(cible),
        etiquetages__cible_id=cible.pk,
    ).order_by("nom", "pk")


def etiquettes_du_programme(programme):
    return Etiquette.objects.filter(programme=programme).order_by("nom", "pk")


def etiquettes_du_programme_avec_usage(programme):
    """Les étiquettes du programme, chacune avec `nombre` : les dossiers qui la portent."""
    return etiquettes_du_programme(programme).annotate(nombre=Count("etiquetages"))


def filtre_etiquette(modele, etiquette):
    """Le filtre (Q) des lignes de `modele` qui portent l'étiquette (un objet ou un
    identifiant) : une sous-requête, que les sélecteurs ajoutent à leurs autres filtres."""
    identifiant = getattr(etiquette, "pk", etiquette)
    porteurs = Etiquetage.objects.filter(etiquette_id=identifiant, **_du_modele(modele))
    return Q(pk__in=porteurs.values("cible_id"))


def noms_des_etiquettes(modele, objets):
    """{identifiant: [noms, par ordre alphabétique]} pour les lignes de `objets` (un queryset,
    lu en sous-requête, ou une liste d'identifiants) : une seule requête, quel que soit leur
    nombre."""
    identifiants = objets.values("pk") if hasattr(objets, "values") else list(objets)
    lignes = (
        Etiquetage.objects.filter(cible_id__in=identifiants, **_du_modele(modele))
        .order_by("etiquette__nom", "etiquette_id")
        .values_list("cible_id", "etiquette__nom")
    )
    noms = defaultdict(list)
    for cible_id, nom in lignes:
        noms[cible_id].append(nom)
    return dict(noms)


def poser_les_etiquettes(objets):
    """Donne à chaque objet de la liste (d'un même modèle) `etiquettes_privees`, la liste de
    ses étiquettes par nom : une seule requête pour toute la liste. Renvoie la liste."""
    objets = list(objets)
    if not objets:
        return objets
    modele = type(objets[0])
    lignes = (
        Etiquetage.objects.filter(cible_id__in=[objet.pk for objet in objets], **_du_modele(modele))
        .select_related("etiquette")
        .order_by("etiquette__nom", "etiquette_id")
    )
    par_cible = defaultdict(list)
    for lien in lignes:
        par_cible[lien.cible_id].append(lien.etiquette)
    for objet in objets:
        objet.etiquettes_privees = par_cible.get(objet.pk, [])
    return objets
