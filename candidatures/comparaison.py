"""La différence entre deux versions déposées d'une candidature, champ par champ : chaque
question et chaque pièce demandée (dans l'ordre du formulaire le plus récent, puis celles que
l'appel n'a plus), l'éligibilité figée. Un fichier change si son contenu (SHA-256) ou son nom
change. Chaque version se lit avec ses propres questions : une retouche du formulaire entre
deux dépôts ne fausse pas la comparaison."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from candidatures.selectors import pieces_lisibles, reponses_lisibles
from programmes.enums import TypeQuestion
from territoires.enums import ResultatEligibilite


@dataclass(frozen=True)
class LigneComparee:
    libelle: str
    avant: str = ""
    apres: str = ""
    fichier_avant: object = None  # FichierVersion ou None
    fichier_apres: object = None
    est_fichier: bool = False

    @property
    def change(self):
        if self.est_fichier:
            return _identite(self.fichier_avant) != _identite(self.fichier_apres)
        return self.avant != self.apres


@dataclass(frozen=True)
class Comparaison:
    avant: object  # VersionDeposee
    apres: object
    changees: list = field(default_factory=list)
    inchangees: list = field(default_factory=list)


def _identite(fichier):
    if fichier is None:
        return None
    return (fichier.sha256 or fichier.fichier.name, fichier.nom_original)


def _lignes(version):
    """{clé: (libellé, texte, fichier, est un fichier)} dans l'ordre du formulaire."""
    lignes = {}
    for reponse in reponses_lisibles(version.candidature, version):
        est_fichier = reponse.question.type == TypeQuestion.FICHIER
        lignes[f"q_{reponse.question.pk}"] = (
            reponse.question.libelle,
            reponse.texte,
            reponse.piece,
            est_fichier,
        )
    for ligne in pieces_lisibles(version.candidature, version):
        lignes[f"piece_{ligne.piece_demandee.pk}"] = (
            ligne.piece_demandee.libelle,
            ligne.piece.nom_original if ligne.piece else "",
            ligne.piece,
            True,
        )
    return lignes


def _eligibilite(version):
    resultat = version.eligibilite.get("result", "")
    return (
        str(ResultatEligibilite(resultat).label) if resultat in ResultatEligibilite.values else ""
    )


def comparer(avant, apres):
    """La comparaison de deux versions de la même candidature, `avant` puis `apres`."""
    lignes_avant, lignes_apres = _lignes(avant), _lignes(apres)
    cles = list(lignes_apres) + [cle for cle in lignes_avant if cle not in lignes_apres]
    comparaison = Comparaison(avant=avant, apres=apres)
    for cle in cles:
        libelle_avant, texte_avant, fichier_avant, fichier_a = lignes_avant.get(
            cle, ("", "", None, False)
        )
        libelle_apres, texte_apres, fichier_apres, fichier_b = lignes_apres.get(
            cle, ("", "", None, False)
        )
        ligne = LigneComparee(
            libelle=libelle_apres or libelle_avant,
            avant=texte_avant,
            apres=texte_apres,
            fichier_avant=fichier_avant,
            fichier_apres=fichier_apres,
            est_fichier=fichier_a or fichier_b,
        )
        (comparaison.changees if ligne.change else comparaison.inchangees).append(ligne)
    eligibilite = LigneComparee(
        libelle=gettext("Éligibilité au dépôt"),
        avant=_eligibilite(avant),
        apres=_eligibilite(apres),
    )
    (comparaison.changees if eligibilite.change else comparaison.inchangees).append(eligibilite)
    return comparaison
