"""Les vues de l'accompagnement, par public : `suivi` (coachs et gestionnaires : frise, plans,
jalons, cadrage), `structure` (référents et inscriptions), `formation` (sessions, émargement,
attestations), `gestion` (modèle, cohortes, sessions, comité), `calendrier` (flux ICS)."""
