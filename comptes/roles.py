"""La copie des rôles sur la ligne de l'utilisateur (`Utilisateur.noms_des_groupes`), tenue
exacte par les signaux de Django sur tout ce qui change l'appartenance à un groupe :

- `m2m_changed` sur `Utilisateur.groups.through`, dans les deux sens (`utilisateur.groups.add`,
  `groupe.user_set.remove`, `clear` des deux côtés, `set`) ;
- un groupe renommé ou supprimé : ses membres sont recalculés.

Chaque recopie relit les groupes en base, dans la transaction de l'écriture : ce qui est copié
est ce que la base contient, quel que soit l'ordre des appels. Restent hors de portée les
écritures qui contournent l'ORM (SQL brut, `bulk_create` sur la table des groupes, `update()`
sur les groupes) : elles appellent `recopier_les_roles` elles-mêmes (voir bench/generer.py).
"""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from comptes.models import Utilisateur

Appartenance = Utilisateur.groups.through


def roles_en_base(ids_utilisateurs):
    """{id d'utilisateur : liste triée des noms de ses groupes}, lue dans la table des groupes."""
    roles = {pk: [] for pk in ids_utilisateurs}
    lignes = (
        Appartenance.objects.filter(utilisateur_id__in=roles)
        .values_list("utilisateur_id", "group__name")
        .order_by("utilisateur_id", "group__name")
    )
    for pk, nom in lignes:
        roles[pk].append(nom)
    return roles


def recopier_les_roles(ids_utilisateurs, instances=()):
    """Recopie sur la ligne de chacun les noms de ses groupes ; met aussi à jour les instances
    données (l'utilisateur de la requête qui vient de changer de groupe voit son nouveau rôle
    dans la même requête)."""
    ids = set(ids_utilisateurs)
    if not ids:
        return
    roles = roles_en_base(ids)
    for pk, noms in roles.items():
        Utilisateur.objects.filter(pk=pk).update(noms_des_groupes=noms)
    for instance in instances:
        if instance.pk in roles:
            instance.noms_des_groupes = roles[instance.pk]


@receiver(m2m_changed, sender=Appartenance, dispatch_uid="comptes_roles_appartenance")
def appartenance_changee(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        # utilisateur.groups.<add|remove|clear|set> : un seul utilisateur, l'instance.
        if action in ("post_add", "post_remove", "post_clear"):
            recopier_les_roles([instance.pk], instances=[instance])
        return
    # groupe.user_set.<…> : les utilisateurs sont pk_set, sauf pour clear (lus avant).
    if action == "pre_clear":
        instance._membres_avant_vidage = list(instance.user_set.values_list("pk", flat=True))
    elif action == "post_clear":
        recopier_les_roles(getattr(instance, "_membres_avant_vidage", []))
    elif action in ("post_add", "post_remove"):
        recopier_les_roles(pk_set or [])


@receiver(post_save, sender=Group, dispatch_uid="comptes_roles_groupe_renomme")
def groupe_enregistre(sender, instance, created, **kwargs):
    if not created:
        recopier_les_roles(instance.user_set.values_list("pk", flat=True))


@receiver(pre_delete, sender=Group, dispatch_uid="comptes_roles_groupe_supprime_avant")
def groupe_bientot_supprime(sender, instance, **kwargs):
    instance._membres_avant_suppression = list(instance.user_set.values_list("pk", flat=True))


@receiver(post_delete, sender=Group, dispatch_uid="comptes_roles_groupe_supprime")
def groupe_supprime(sender, instance, **kwargs):
    recopier_les_roles(getattr(instance, "_membres_avant_suppression", []))
