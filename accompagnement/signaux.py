"""Les signaux que l'accompagnement envoie, pour les applications au-dessus de lui qui ont à
suivre ses écritures sans qu'il les importe."""

from django.dispatch import Signal

# Une feuille d'émargement enregistrée, dans sa transaction, une fois pour toute la feuille
# (ses lignes sont écrites en nombre, sans `post_save`). Arguments : `session` et `referents`
# (les identifiants des référents dont l'émargement a été créé ou modifié).
emargements_enregistres = Signal()
