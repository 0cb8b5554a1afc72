"""Ce que l'activité écoute des applications au-dessous d'elle, qui ne l'importent pas :
branché une fois au démarrage (`ActiviteConfig.ready`)."""

from accompagnement.signaux import emargements_enregistres
from activite.versions import noter_activite_modifiee


def _feuille_d_emargement(sender, session, referents, **kwargs):
    """Une feuille d'émargement enregistrée : le bilan des structures de ses référents est
    périmé, une fois pour la feuille (dans sa transaction)."""
    noter_activite_modifiee(referents=referents)


def connecter():
    emargements_enregistres.connect(
        _feuille_d_emargement, dispatch_uid="activite-feuille-d-emargement"
    )
