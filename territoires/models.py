"""Données de référence du territoire, chacune avec son millésime : communes et leurs
populations légales INSEE, EPCI, listes de quartiers prioritaires (QPV), correspondances
d'anciens codes, et le registre des imports qui les ont chargées."""

from django.conf import settings
from django.db import models

from territoires.enums import (
    MotifCorrespondance,
    TraitementQpvIntercommunal,
    TypeImport,
    TypePopulation,
    TypeRattachement,
    TypeStructure,
)


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
    """Une commune du COG en vigueur.

    Ses champs de population sont ceux du millésime le plus récent importé ; chaque millésime
    reste dans `PopulationLegale`.
    """

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

    # Posés par la recherche (`rechercher_communes`), jamais enregistrés : la commune
    # rattachée dont le nom a été tapé (Lomme pour Lille), et un nom trouvé malgré une faute.
    rattachement = None
    approchee = False

    class Meta:
        ordering = ["nom", "code_insee"]

    def __str__(self):
        return f"{self.nom} ({self.code_insee})"

    @property
    def nom_saisi(self):
        """Le nom que la personne a tapé ou choisi : Lomme plutôt que Lille."""
        return self.rattachement.nom if self.rattachement else self.nom

    @property
    def code_saisi(self):
        return self.rattachement.code if self.rattachement else self.code_insee

    def population(self, type_population=TypePopulation.MUNICIPALE):
        if type_population == TypePopulation.TOTALE:
            return self.population_totale
        return self.population_municipale


class PopulationLegale(models.Model):
    """Un millésime de population légale d'une commune ; plusieurs millésimes coexistent."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="populations")
    annee = models.PositiveSmallIntegerField("millésime")
    municipale = models.PositiveIntegerField(null=True, blank=True)
    totale = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "population légale"
        verbose_name_plural = "populations légales"
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee"], name="population_unique_par_annee")
        ]
        ordering = ["commune", "-annee"]

    def __str__(self):
        return f"{self.commune} — {self.annee}"


class CorrespondanceCode(models.Model):
    """Un code INSEE qui n'est pas une commune du COG en vigueur et la commune qui le porte :
    arrondissement municipal de Paris, Lyon, Marseille, ou commune fusionnée."""

    code = models.CharField("ancien code", max_length=5, unique=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="anciens_codes")
    motif = models.CharField(max_length=20, choices=MotifCorrespondance.choices)
    depuis = models.DateField("en vigueur depuis le", null=True, blank=True)

    class Meta:
        verbose_name = "correspondance de code"
        verbose_name_plural = "correspondances de codes"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} → {self.commune}"


class CommuneRattachee(models.Model):
    """Une commune déléguée, une commune associée ou un arrondissement municipal : un nom que
    l'on tape encore (« Lomme ») et la commune en vigueur qui le porte (Lille). Son
    éligibilité est celle de cette commune."""

    code = models.CharField("code INSEE", max_length=5)
    nom = models.CharField(max_length=255)
    nom_recherche = models.CharField(max_length=255, db_index=True)
    type = models.CharField(max_length=30, choices=TypeRattachement.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="communes_rattachees"
    )
    departement = models.CharField("département", max_length=3)

    class Meta:
        verbose_name = "commune rattachée"
        verbose_name_plural = "communes rattachées"
        ordering = ["nom", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "type"], name="rattachee_unique_par_type")
        ]

    def __str__(self):
        return f"{self.nom} ({self.code}), {self.get_type_display()} de {self.commune.nom}"

    def phrase(self):
        """« Lomme est une commune associée de Lille : l'éligibilité est celle de Lille. »"""
        article = "un" if self.type == TypeRattachement.ARRONDISSEMENT else "une"
        return (
            f"{self.nom} est {article} {self.get_type_display()} de {self.commune.nom} : "
            f"l'éligibilité est celle de {self.commune.nom}."
        )


class ListeQpv(models.Model):
    """Une génération de la liste des QPV (2015, 2024…) ; la plus récente sert par défaut."""

    version = models.CharField(max_length=20, unique=True)  # « QPV2024 », « QPV2015 »
    annee = models.PositiveSmallIntegerField("génération")
    libelle = models.CharField(max_length=255, blank=True)
    en_vigueur_le = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        verbose_name = "liste de QPV"
        verbose_name_plural = "listes de QPV"
        ordering = ["-annee", "-version"]

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


class ImportReferentiel(models.Model):
    """Trace d'un import de données de référence : quel fichier, quand, par qui, quel bilan."""

    type = models.CharField(max_length=20, choices=TypeImport.choices)
    fichier = models.CharField(max_length=255)
    empreinte_sha256 = models.CharField("empreinte SHA-256", max_length=64)
    millesime = models.CharField("millésime ou version", max_length=20, blank=True)
    bilan = models.JSONField(default=dict, blank=True)
    fait_le = models.DateTimeField(auto_now_add=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = "import de données de référence"
        verbose_name_plural = "imports de données de référence"
        ordering = ["-fait_le", "-pk"]

    def __str__(self):
        return f"{self.get_type_display()} {self.millesime} ({self.fichier})"


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

    def regles_eligibilite(self):
        """Les règles de cet appel, sous la forme qu'attend `evaluer_eligibilite`."""
        from territoires.eligibilite import ReglesEligibilite

        return ReglesEligibilite.depuis_appel(self)
