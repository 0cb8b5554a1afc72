"""Les vues de l'accompagnement, par public : `suivi` (coachs et gestionnaires : frise, plans,
jalons, cadrage), `structure` (référents et inscriptions), `formation` (sessions, émargement,
attestations), `gestion` (modèle, cohortes, sessions, comité), `calendrier` (flux ICS)."""

from candidatures.views import repondre_au_refus

__all__ = ["repondre_au_refus"]
