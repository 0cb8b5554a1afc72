"""Les vues des candidatures, par public : `candidat` (appels publics, candidatures),
`structure` (profil et collègues), `gestion` (back office des gestionnaires)."""
