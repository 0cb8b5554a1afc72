"""Le libellé de chaque type de courriel, tel que la boîte d'envoi l'affiche.

Le type d'un message reste un code (il sert de filtre et de clé) ; ce qu'une personne lit est
son libellé, tiré du catalogue (`messagerie.catalogue`), où chaque courriel est déclaré une fois.
Un code inconnu du catalogue s'affiche tel quel plutôt que de faire échouer la page.
"""

from messagerie.catalogue import choix_des_types

__all__ = ["choix_des_types"]
