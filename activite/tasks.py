"""Les tâches de l'activité, trouvées ici par Celery (`autodiscover_tasks`).

La tâche du rendu d'un grand PDF du bilan vit avec ce rendu (`activite.pdf_du_bilan`), qui la
met en file : la définir ici obligerait les deux modules à s'importer l'un l'autre.
"""

from activite.pdf_du_bilan import rendre_pdf_du_bilan

__all__ = ["rendre_pdf_du_bilan"]
