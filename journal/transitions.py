"""Une transition d'état journalisée : django-fsm-2 pour la règle, le journal (Evenement de
type CHANGEMENT_ETAT) pour qui, quand, depuis, vers et pourquoi. La méthode décorée accepte
`by=` (l'acteur) et `description=` (le motif) ; `journaliser_transition`, branché sur le signal
`post_transition` de django-fsm, les écrit au journal."""

import threading
from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django_fsm import FSMModelMixin, transition

from journal.enums import TypeEvenement
from journal.models import Evenement

# Le temps d'une transition, l'acteur et le motif sont posés sur l'objet sous ces noms.
_ACTEUR = "_journal_transition_par"
_MOTIF = "_journal_transition_motif"


def _avec_acteur_et_motif(methode):
    @wraps(methode)
    def enveloppe(instance, *args, **kwargs):
        setattr(instance, _ACTEUR, kwargs.get("by"))
        setattr(instance, _MOTIF, kwargs.get("description") or "")
        try:
            return methode(instance, *args, **kwargs)
        finally:
            for nom in (_ACTEUR, _MOTIF):
                if hasattr(instance, nom):
                    delattr(instance, nom)

    return enveloppe


def transition_journalisee(**regle):
    """`@transition_journalisee(field=etat, source=..., target=..., permission=...)`."""

    def decorer(methode):
        return _avec_acteur_et_motif(transition(**regle)(methode))

    return decorer


def journaliser_transition(sender, instance, name, source, target, **kwargs):
    """Récepteur de `django_fsm.signals.post_transition` : la transition entre au journal."""
    if target is None:
        return
    acteur = getattr(instance, _ACTEUR, None)
    Evenement.objects.create(
        type=TypeEvenement.CHANGEMENT_ETAT,
        acteur=acteur if acteur is not None and acteur.is_authenticated else None,
        cible_type=ContentType.objects.get_for_model(instance),
        cible_id=instance.pk,
        motif=getattr(instance, _MOTIF, ""),
        transition=name,
        depuis=source or "",
        vers=target,
    )


# django-fsm relit un objet en retirant un instant la protection de son champ d'état, réglage
# porté par le champ, donc partagé par tous les fils du processus : deux relectures simultanées
# (serveur à fils, tests concurrents) pouvaient finir en « Direct etat modification is not
# allowed ». Les relectures des modèles à états passent donc l'une après l'autre.
_VERROU_DE_RELECTURE = threading.Lock()


class ModeleAEtats(FSMModelMixin):
    """Mixin des modèles à champ d'état protégé : `refresh_from_db` sûr entre fils."""

    def refresh_from_db(self, *args, **kwargs):
        with _VERROU_DE_RELECTURE:
            super().refresh_from_db(*args, **kwargs)
