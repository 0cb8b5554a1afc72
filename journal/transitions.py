"""Une transition d'état journalisée : django-fsm-2 pour la règle, django-fsm-log pour le
journal (qui, quand, depuis, vers, pourquoi). La méthode décorée accepte `by=` (l'acteur) et
`description=` (le motif)."""

import threading

from django_fsm import FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


def transition_journalisee(**regle):
    """`@transition_journalisee(field=etat, source=..., target=..., permission=...)`."""

    def decorer(methode):
        return fsm_log_by(fsm_log_description(transition(**regle)(methode)))

    return decorer


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
