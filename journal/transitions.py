"""Une transition d'état journalisée : django-fsm-2 pour la règle, django-fsm-log pour le
journal (qui, quand, depuis, vers, pourquoi). La méthode décorée accepte `by=` (l'acteur) et
`description=` (le motif)."""

from django_fsm import transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


def transition_journalisee(**regle):
    """`@transition_journalisee(field=etat, source=..., target=..., permission=...)`."""

    def decorer(methode):
        return fsm_log_by(fsm_log_description(transition(**regle)(methode)))

    return decorer
