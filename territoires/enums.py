from django.db import models
from django.utils.translation import gettext_lazy as _


class TypePopulation(models.TextChoices):
    MUNICIPALE = "municipale", _("Population municipale")
    TOTALE = "totale", _("Population totale")


class TraitementQpvIntercommunal(models.TextChoices):
    INELIGIBLE = "ineligible", _("Rend la commune non éligible")
    A_EXAMINER = "a_examiner", _("À examiner par un gestionnaire")


class ResultatEligibilite(models.TextChoices):
    ELIGIBLE = "eligible", _("Éligible")
    NON_ELIGIBLE = "non_eligible", _("Non éligible")
    A_EXAMINER = "a_examiner", _("À examiner")


class TypeStructure(models.TextChoices):
    CCAS = "ccas", _("CCAS")
    CIAS = "cias", _("CIAS")
    ESAT = "esat", _("ESAT")
    ASSOCIATION = "association", _("Association")
    CENTRE_SOCIAL = "centre_social", _("Centre social")
    MEDIATHEQUE = "mediatheque", _("Médiathèque")
    AUTRE = "autre", _("Autre")


class MotifCorrespondance(models.TextChoices):
    ARRONDISSEMENT = "arrondissement", _("Arrondissement municipal")
    FUSION = "fusion", _("Commune fusionnée")


class TypeRattachement(models.TextChoices):
    """Ce qu'est un lieu qui n'est plus une commune mais que l'on tape encore (COG)."""

    COMMUNE_DELEGUEE = "commune-deleguee", _("commune déléguée")
    COMMUNE_ASSOCIEE = "commune-associee", _("commune associée")
    ARRONDISSEMENT = "arrondissement-municipal", _("arrondissement municipal")


class TypeImport(models.TextChoices):
    COMMUNES = "communes", _("Communes")
    POPULATIONS = "populations", _("Populations légales INSEE")
    QPV = "qpv", _("Liste des QPV")
    CORRESPONDANCES = "correspondances", _("Correspondances de codes")
    EPCI = "epci", _("EPCI (noms)")
    RATTACHEES = "rattachees", _("Communes déléguées, associées et arrondissements")
