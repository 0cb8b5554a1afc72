"""Ce que le moteur de relances inscrit au catalogue : son propre courriel, le résumé du jour,
et les préférences des personnes, consultées avant chaque notification non essentielle."""

from django.utils.translation import gettext_lazy as _

from messagerie.catalogue import (
    Categorie,
    Courriel,
    Evenement,
    consulter_les_preferences,
    declarer,
)
from relances.models import PreferencesRelances

RESUME_QUOTIDIEN = declarer(
    Courriel(
        code="relance_resume_quotidien",
        libelle=_("Résumé du jour des relances"),
        declencheur=Evenement("chaque jour à 17 h (relances.envoyer_resumes)"),
        categorie=Categorie.RELANCES,
        destinataires="qui a choisi le résumé du jour et a des relances en attente",
        gabarit="relances/resume",
        # Demandé par la personne elle-même (ses préférences) : rien à refuser de plus.
        essentiel=True,
    )
)


@consulter_les_preferences
def a_refuse(utilisateur, code):
    """Cette personne a désactivé ce courriel dans ses préférences (ou par son lien de
    désabonnement)."""
    desactives = (
        PreferencesRelances.objects.filter(utilisateur=utilisateur)
        .values_list("types_desactives", flat=True)
        .first()
    )
    return code in (desactives or [])
