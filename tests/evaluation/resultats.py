"""Un appel dont les résultats sont publiés, par les services, pour les tests de la lettre de
décision, du retrait d'un lauréat et de la liste d'attente.

Grille des fabriques : « Adéquation » poids 3 sur 5, « Partenariats » poids 1 sur 10.
Candidatures créées dans cet ordre (les identifiants croissent ainsi) :

| structure | notes  | /20 | décision                 |
| --------- | ------ | --- | ------------------------ |
| CCAS A    | 5, 10  | 20  | retenue                  |
| CCAS B    | 3, 4   | 11  | liste d'attente, rang 2  |
| CCAS C    | 4, 2   | 13  | liste d'attente, rang 1  |
| CCAS D    | 5, 8   | 19  | retenue                  |
| CCAS E    | 1, 0   | 3   | non retenue              |

B est créée avant C mais vient après elle : la liste d'attente suit le rang, pas
l'identifiant.
"""

from evaluation import services
from evaluation.enums import SensDecision
from programmes.models import Appel
from tests.candidatures.factories import CandidatureFactory, StructureFactory, membre_de
from tests.evaluation.factories import JuryFactory, membre_note, seance_au_quorum

STRUCTURES = (
    ("A", [5, 10], SensDecision.RETENUE, ""),
    ("B", [3, 4], SensDecision.LISTE_ATTENTE, ""),
    ("C", [4, 2], SensDecision.LISTE_ATTENTE, ""),
    ("D", [5, 8], SensDecision.RETENUE, ""),
    ("E", [1, 0], SensDecision.NON_RETENUE, "Le projet ne prévoit pas de temps pour les référents"),
)


def appel_en_deliberation(programme, gestionnaire, *, places=2):
    """Le jury, et {lettre: candidature} notées, l'appel ouvert à la délibération."""
    jury = JuryFactory(appel__programme=programme, appel__titre="Inclusion numérique 2022")
    candidatures = {}
    for lettre, valeurs, _sens, _motif in STRUCTURES:
        structure = StructureFactory(nom=f"CCAS {lettre}")
        membre_de(structure, email=f"ccas-{lettre.lower()}@exemple.test")
        candidature = CandidatureFactory(appel=jury.appel, recevable=True, structure=structure)
        membre_note(jury, candidature, valeurs)
        candidatures[lettre] = candidature
    Appel.objects.filter(pk=jury.appel_id).update(nombre_places=places)
    services.ouvrir_deliberation(Appel.objects.get(pk=jury.appel_id), par=gestionnaire)
    return jury, candidatures


def appel_publie(programme, gestionnaire, *, places=2):
    """L'appel du tableau, décisions enregistrées et résultats publiés (lettres éditées)."""
    jury, candidatures = appel_en_deliberation(programme, gestionnaire, places=places)
    services.enregistrer_decisions(
        Appel.objects.get(pk=jury.appel_id),
        par=gestionnaire,
        decisions={
            candidatures[lettre].pk: (sens, motif) for lettre, _valeurs, sens, motif in STRUCTURES
        },
    )
    seance_au_quorum(Appel.objects.get(pk=jury.appel_id), gestionnaire)
    services.publier_resultats(Appel.objects.get(pk=jury.appel_id), par=gestionnaire)
    return jury, candidatures
