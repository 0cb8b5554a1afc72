"""Le jury lit le fil d'une candidature qui lui est confiée quand un gestionnaire le lui montre,
en lecture seule, sur sa page de la candidature ; il en télécharge les pièces comme celles de
la candidature (après sa déclaration d'absence de conflit)."""

from candidatures.models import Candidature
from echanges.registre import declarer_lecture_partagee

declarer_lecture_partagee(
    Candidature,
    regle_lire="evaluation.voir_candidature_jury",
    regle_telecharger="evaluation.telecharger_piece_jury",
)
