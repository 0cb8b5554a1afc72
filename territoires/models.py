"""Données de référence du territoire, chacune avec son millésime : communes et leurs
populations légales INSEE, EPCI, listes de quartiers prioritaires (QPV)."""

from django.db import models

from territoires.enums import TraitementQpvIntercommunal, TypePopulation, TypeStructure


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, unique=True)
    nom = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["siren"]

    def __str__(self):
        return self.nom or f"EPCI {self.siren}"


class Commune(models.Model):
    """Une commune du COG en vigueur ; sa population est celle du dernier millésime importé."""

    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    nom = models.CharField(max_length=255)

    # Sans accents, tirets ni apostrophes, en minuscules : « faches thumesnil » la trouve.
    nom_recherche = models.CharField(max_length=255, db_index=True)
    departement = models.CharField("département", max_length=3, db_index=True)
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes"
    )
    population_municipale = models.PositiveIntegerField(null=True, blank=True)
    population_totale = models.PositiveIntegerField(null=True, blank=True)
    annee_population = models.PositiveSmallIntegerField(
        "millésime de la population", null=True, blank=True
    )

    class Meta:
        ordering = ["nom", "code_insee"]

    def __str__(self):
        return f"{self.nom} ({self.code_insee})"


class PopulationLegale(models.Model):
    """Un millésime de population légale d'une commune ; plusieurs millésimes coexistent."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="populations")
    annee = models.PositiveSmallIntegerField("millésime")
    municipale = models.PositiveIntegerField(null=True, blank=True)
    totale = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee"], name="population_unique_par_annee")
        ]
        ordering = ["commune", "-annee"]

    def __str__(self):
        return f"{self.commune} — {self.annee}"


class ListeQpv(models.Model):
    """Une génération de la liste des QPV (2015, 2024…) ; la plus récente sert par défaut."""

    version = models.CharField(max_length=20, unique=True)  # « QPV2024 », « QPV2015 »
    libelle = models.CharField(max_length=255, blank=True)
    en_vigueur_le = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        verbose_name = "liste de QPV"
        verbose_name_plural = "listes de QPV"
        ordering = ["-version"]

    def __str__(self):
        return self.libelle or self.version


class Qpv(models.Model):
    liste = models.ForeignKey(ListeQpv, on_delete=models.CASCADE, related_name="qpv")
    code = models.CharField(max_length=10)
    nom = models.CharField(max_length=255)
    communes = models.ManyToManyField(Commune, related_name="qpv", blank=True)

    class Meta:
        verbose_name = "QPV"
        verbose_name_plural = "QPV"
        constraints = [
            models.UniqueConstraint(fields=["liste", "code"], name="qpv_unique_par_liste")
        ]
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} « {self.nom} »"


class ReglesEligibiliteMixin(models.Model):
    """Les règles d'éligibilité d'un appel, éditées par ses gestionnaires.

    Un périmètre vide (ni EPCI ni département) veut dire « toute la France ».
    """

    perimetre_epci = models.JSONField("EPCI du périmètre (SIREN)", default=list, blank=True)
    perimetre_departements = models.JSONField("départements du périmètre", default=list, blank=True)
    seuil_population = models.PositiveIntegerField(
        "seuil de population (strictement inférieur)", default=21000
    )
    type_population = models.CharField(
        max_length=20, choices=TypePopulation.choices, default=TypePopulation.MUNICIPALE
    )
    version_qpv = models.CharField(
        "liste de QPV", max_length=20, blank=True, help_text="Vide : la liste la plus récente."
    )
    qpv_intercommunal = models.CharField(
        "QPV intercommunal",
        max_length=20,
        choices=TraitementQpvIntercommunal.choices,
        default=TraitementQpvIntercommunal.INELIGIBLE,
    )
    types_structure = models.JSONField(
        "types de structure acceptés",
        default=list,
        blank=True,
        help_text="Vide : tous les types. Valeurs : " + ", ".join(TypeStructure.values),
    )

    class Meta:
        abstract = True
