from django.db import models


class TypePopulation(models.TextChoices):
    MUNICIPALE = "municipale", "Population municipale"
    TOTALE = "totale", "Population totale"


class TraitementQpvIntercommunal(models.TextChoices):
    INELIGIBLE = "ineligible", "Rend la commune non éligible"
    A_EXAMINER = "a_examiner", "À examiner par un gestionnaire"


class ResultatEligibilite(models.TextChoices):
    ELIGIBLE = "eligible", "Éligible"
    NON_ELIGIBLE = "non_eligible", "Non éligible"
    A_EXAMINER = "a_examiner", "À examiner"


class TypeStructure(models.TextChoices):
    CCAS = "ccas", "CCAS"
    CIAS = "cias", "CIAS"
    ESAT = "esat", "ESAT"
    ASSOCIATION = "association", "Association"
    CENTRE_SOCIAL = "centre_social", "Centre social"
    MEDIATHEQUE = "mediatheque", "Médiathèque"
    AUTRE = "autre", "Autre"


class MotifCorrespondance(models.TextChoices):
    ARRONDISSEMENT = "arrondissement", "Arrondissement municipal"
    FUSION = "fusion", "Commune fusionnée"


class TypeRattachement(models.TextChoices):
    """Ce qu'est un lieu qui n'est plus une commune mais que l'on tape encore (COG)."""

    COMMUNE_DELEGUEE = "commune-deleguee", "commune déléguée"
    COMMUNE_ASSOCIEE = "commune-associee", "commune associée"
    ARRONDISSEMENT = "arrondissement-municipal", "arrondissement municipal"


class TypeImport(models.TextChoices):
    COMMUNES = "communes", "Communes"
    POPULATIONS = "populations", "Populations légales INSEE"
    QPV = "qpv", "Liste des QPV"
    CORRESPONDANCES = "correspondances", "Correspondances de codes"
    EPCI = "epci", "EPCI (noms)"
    RATTACHEES = "rattachees", "Communes déléguées, associées et arrondissements"
