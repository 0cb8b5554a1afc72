"""Le jeton d'activité de chaque structure, d'où dérive la clé du bilan mis en cache.

Toute écriture qui peut changer le bilan d'une structure (ses actions, participations,
bénéficiaires, listes d'attente, les émargements de ses référents) renouvelle son jeton dans
la même transaction : le nouveau jeton et les nouvelles lignes deviennent visibles ensemble,
et aucun processus ne peut lire le nouveau jeton avec les anciens chiffres.

Deux chemins y mènent :

- les signaux `post_save` / `post_delete` de ces modèles, pour une écriture isolée (une saisie,
  le shell, une fabrique de test) ;
- `ecritures_groupees()` autour des écritures en nombre (import, feuille d'émargement,
  statuts d'une action) : dans le bloc, les signaux ne font que noter la structure, et un seul
  renouvellement part à la sortie. Ce qui passe outre les signaux (`bulk_create`,
  `QuerySet.update`) y note sa structure avec `noter_activite_modifiee`.

Une ligne supprimée parce que son parent l'est (les participations d'une action supprimée) ne
renouvelle rien elle-même : le signal du parent s'en charge. Une structure supprimée sort de
la cohorte, ce que la clé voit déjà.

Une écriture en SQL brut, hors de ces chemins, laisserait le bilan en cache périmé jusqu'à son
expiration (un jour) : elle doit appeler `noter_activite_modifiee`.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from accompagnement.models import Emargement, Referent
from activite.models import Action, Beneficiaire, ListeAttente, Participation, VersionActivite
from structures.models import Structure


@dataclass
class _Modifications:
    """Ce qu'un bloc d'écritures groupées a touché, par identifiant."""

    structures: set = field(default_factory=set)
    actions: set = field(default_factory=set)
    referents: set = field(default_factory=set)

    def ajouter(self, *, structures=(), actions=(), referents=()):
        self.structures.update(i for i in structures if i is not None)
        self.actions.update(i for i in actions if i is not None)
        self.referents.update(i for i in referents if i is not None)


_bloc_en_cours = ContextVar("ecritures_groupees_de_l_activite", default=None)


def noter_activite_modifiee(*, structures=(), actions=(), referents=()):
    """Renouvelle le jeton des structures données (par identifiant), ou de celles de ces
    actions ou de ces référents ; dans un bloc `ecritures_groupees()`, le note pour sa sortie."""
    bloc = _bloc_en_cours.get()
    if bloc is None:
        modifications = _Modifications()
        modifications.ajouter(structures=structures, actions=actions, referents=referents)
        _renouveler(modifications)
    else:
        bloc.ajouter(structures=structures, actions=actions, referents=referents)


@contextmanager
def ecritures_groupees():
    """Les écritures du bloc renouvellent le jeton de chaque structure touchée une seule fois,
    à la sortie du bloc, dans la transaction en cours. À ouvrir dans la transaction des
    écritures : hors transaction, les lignes sont visibles avant le nouveau jeton, et le bilan
    d'avant reste servi le temps du bloc."""
    bloc = _Modifications()
    jeton_du_contexte = _bloc_en_cours.set(bloc)
    try:
        yield bloc
    except BaseException:
        _bloc_en_cours.reset(jeton_du_contexte)
        # Les écritures d'avant l'erreur peuvent rester (hors transaction, ou si l'appelant
        # rattrape l'erreur) : le jeton change quand même. Une transaction déjà en échec
        # n'écrira rien et refuse toute requête : il n'y a alors rien à renouveler.
        if not connection.needs_rollback:
            try:
                with transaction.atomic():
                    _renouveler(bloc)
            except DatabaseError:
                pass
        raise
    else:
        _bloc_en_cours.reset(jeton_du_contexte)
        _renouveler(bloc)


def _renouveler(modifications):
    ids = set(modifications.structures)
    for modele, pks in ((Action, modifications.actions), (Referent, modifications.referents)):
        pks = sorted(pks)
        # Par paquets : SQLite borne le nombre de paramètres d'une requête.
        for debut in range(0, len(pks), 500):
            ids.update(
                modele.objects.filter(pk__in=pks[debut : debut + 500]).values_list(
                    "structure_id", flat=True
                )
            )
    if not ids:
        return
    maintenant = timezone.now()
    # Une seule requête, sans course entre deux créations : INSERT … ON CONFLICT DO UPDATE.
    VersionActivite.objects.bulk_create(
        [
            VersionActivite(structure_id=pk, jeton=uuid.uuid4(), modifiee_le=maintenant)
            for pk in sorted(ids)
        ],
        update_conflicts=True,
        unique_fields=["structure"],
        update_fields=["jeton", "modifiee_le"],
    )


# --- Signaux ---------------------------------------------------------------------------------


def _supprime_avec(origine, *modeles):
    """Vrai si la suppression part d'une instance ou d'un QuerySet de l'un de ces modèles."""
    modele = origine.model if isinstance(origine, QuerySet) else type(origine)
    return modele in modeles


def _par_structure(sender, instance, origin=None, **kwargs):
    if origin is not None and _supprime_avec(origin, Structure):
        return
    noter_activite_modifiee(structures=[instance.structure_id])


def _participation(sender, instance, origin=None, **kwargs):
    if origin is not None and _supprime_avec(origin, Action, Beneficiaire, Structure):
        return
    noter_activite_modifiee(actions=[instance.action_id])


def _emargement(sender, instance, origin=None, **kwargs):
    if origin is not None and _supprime_avec(origin, Referent, Structure):
        return
    noter_activite_modifiee(referents=[instance.referent_id])


def connecter_les_signaux():
    """Appelé une fois, au démarrage de l'application (`ActiviteConfig.ready`)."""
    for modele in (Action, Beneficiaire, ListeAttente, Referent):
        post_save.connect(_par_structure, sender=modele, dispatch_uid=f"version-{modele.__name__}")
        post_delete.connect(
            _par_structure, sender=modele, dispatch_uid=f"version-suppr-{modele.__name__}"
        )
    for modele, recepteur in ((Participation, _participation), (Emargement, _emargement)):
        post_save.connect(recepteur, sender=modele, dispatch_uid=f"version-{modele.__name__}")
        post_delete.connect(
            recepteur, sender=modele, dispatch_uid=f"version-suppr-{modele.__name__}"
        )
