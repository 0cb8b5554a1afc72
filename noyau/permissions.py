"""Les permissions évaluées une fois par requête.

Une page demande souvent la même permission plusieurs fois (la vue, puis `perms.…` et
`{% has_perm %}` dans ses gabarits, puis un gabarit inclus) ; chaque réponse de django-rules
relit ses prédicats. `PermissionsMemorisees` remplace le moteur de django-rules dans
AUTHENTICATION_BACKENDS et garde chaque réponse (clé : compte, permission, modèle et clé de
l'objet) le temps de la requête.

Exactitude :
- le mémo n'existe qu'à l'intérieur de `portee_des_permissions()` (ouverte par
  `MemoDesPermissionsMiddleware` autour de la vue) : hors requête (tâches Celery, commandes,
  tests qui appellent `has_perm` directement), rien n'est gardé ; un ContextVar, propre à chaque
  fil d'exécution, remis à son état d'avant en sortie : jamais partagé entre requêtes,
  comptes ou fils ;
- toute écriture en base pendant la requête le vide : chaque instruction SQL qui n'est pas une
  lecture (un enveloppeur d'exécution de la connexion voit aussi `update()`, les suppressions
  en nombre et le SQL brut), et les signaux `post_save`, `m2m_changed` et
  `transition_appliquee`. Une permission lue après un changement d'état dans la même requête
  est donc recalculée. Les droits gardés sur l'utilisateur de la requête
  (`noyau.perimetre`) sont oubliés en même temps. (`post_delete` n'est pas écouté : un
  récepteur sur tous les modèles empêcherait les suppressions en nombre de Django ; le SQL de
  la suppression vide le mémo.)
- un objet modifié en mémoire sans être enregistré garde la réponse d'avant : les règles de
  Relais se lisent sur l'état enregistré (les changements passent par `appliquer_transition`).

Une permission de django-rules dont le nom n'est celui d'aucune permission de modèle de Django
est refusée par django-rules seul : le ModelBackend, qui ne peut que répondre non, n'est plus
interrogé (il lirait les permissions du compte et de ses groupes, deux requêtes).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_save
from rules import perm_exists
from rules.permissions import ObjectPermissionBackend

from noyau.horloge import est_une_lecture
from noyau.perimetre import oublier_droits_en_cache
from noyau.transitions import transition_appliquee

_portee = ContextVar("relais_portee_des_permissions", default=None)


class _Portee:
    def __init__(self, requete):
        self.memo = {}
        self.requete = requete

    def oublier(self):
        self.memo.clear()
        utilisateur = getattr(self.requete, "user", None) if self.requete is not None else None
        utilisateur = getattr(utilisateur, "_wrapped", utilisateur)  # l'objet paresseux chargé
        if isinstance(utilisateur, Model):
            oublier_droits_en_cache(utilisateur)


def oublier_les_permissions(**kwargs):
    """Vide le mémo de la requête en cours (s'il y en a une)."""
    portee = _portee.get()
    if portee is not None:
        portee.oublier()


def _enveloppe(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    finally:
        if _portee.get() is not None and not est_une_lecture(sql):
            oublier_les_permissions()


@contextmanager
def portee_des_permissions(requete=None):
    """Le mémo des permissions, le temps du bloc, vidé par toute écriture."""
    jeton = _portee.set(_Portee(requete))
    try:
        with connection.execute_wrapper(_enveloppe):
            yield
    finally:
        _portee.reset(jeton)


post_save.connect(oublier_les_permissions, dispatch_uid="noyau_permissions_post_save")
m2m_changed.connect(oublier_les_permissions, dispatch_uid="noyau_permissions_m2m")
transition_appliquee.connect(oublier_les_permissions, dispatch_uid="noyau_permissions_transition")


def _cle(utilisateur, permission, objet):
    if objet is None:
        cle_objet = None
    elif isinstance(objet, Model) and objet.pk is not None:
        cle_objet = (objet._meta.label, objet.pk)
    else:
        return None  # un objet sans identité stable : pas de mémo
    return (type(utilisateur).__name__, utilisateur.pk, permission, cle_objet)


_permissions_de_modeles = None


def _est_une_permission_de_modele(permission):
    global _permissions_de_modeles
    if _permissions_de_modeles is None:
        noms = set()
        for modele in apps.get_models():
            meta = modele._meta
            noms.update(
                f"{meta.app_label}.{action}_{meta.model_name}"
                for action in meta.default_permissions
            )
            noms.update(f"{meta.app_label}.{nom}" for nom, _libelle in meta.permissions)
        _permissions_de_modeles = frozenset(noms)
    return permission in _permissions_de_modeles


class PermissionsMemorisees(ObjectPermissionBackend):
    """Le moteur de django-rules, une réponse par requête et par (compte, permission, objet)."""

    def has_perm(self, user, perm, *args, **kwargs):
        objet = args[0] if args else kwargs.get("obj")
        portee = _portee.get()
        cle = _cle(user, perm, objet) if portee is not None else None
        if cle is not None and cle in portee.memo:
            accordee = portee.memo[cle]
        else:
            accordee = super().has_perm(user, perm, *args, **kwargs)
            if cle is not None:
                portee.memo[cle] = accordee
        if not accordee and perm_exists(perm) and not _est_une_permission_de_modele(perm):
            raise PermissionDenied  # réponse finale : les moteurs suivants ne sont pas lus
        return accordee


class MemoDesPermissionsMiddleware:
    """Ouvre le mémo des permissions autour de la vue (après l'authentification)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with portee_des_permissions(request):
            return self.get_response(request)
