"""Les refus des services de l'accompagnement, avec un message en français à montrer tel quel.

Mêmes familles que les candidatures, pour que les vues les traduisent de la même façon :
`ActionNonPermise` → 403, `ActionImpossible` → 409, `DonneesRefusees` → 400.
"""

from candidatures.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees

__all__ = ["ActionImpossible", "ActionNonPermise", "DonneesRefusees"]
