"""Données de référence du territoire, chacune avec son millésime : communes et leurs
populations légales INSEE, EPCI, listes de quartiers prioritaires (QPV), correspondances
d'anciens codes, et le registre des imports qui les ont chargées."""

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from territoires.enums import (
    MotifCorrespondance,
    TraitementQpvIntercommunal,
    TypeImport,
    TypePopulation,
    TypeRattachement,
    TypeStructure,
)


class Epci(models.Model):
    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    nom = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["siren"]

    def __str__(self):
        return self.nom or f"EPCI {self.siren}"


class Commune(models.Model):
    """Une commune du COG en vigueur.

    Ses champs de population sont ceux du millésime le plus récent importé ; chaque millésime
    reste dans `PopulationLegale`.
    """

    code_insee = models.CharField(_("code INSEE"), max_length=5, unique=True)
    nom = models.CharField(max_length=255)

    # Sans accents, tirets ni apostrophes, en minuscules : « faches thumesnil » la trouve.
    nom_recherche = models.CharField(max_length=255, db_index=True)
    departement = models.CharField(_("département"), max_length=3, db_index=True)
    epci = models.ForeignKey(
        Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes"
    )
    population_municipale = models.PositiveIntegerField(null=True, blank=True)
    population_totale = models.PositiveIntegerField(null=True, blank=True)
    annee_population = models.PositiveSmallIntegerField(
        _("millésime de la population"), null=True, blank=True
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
    annee = models.PositiveSmallIntegerField(_("millésime"))
    municipale = models.PositiveIntegerField(null=True, blank=True)
    totale = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("population légale")
        verbose_name_plural = _("populations légales")
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee"], name="population_unique_par_annee")
        ]
        ordering = ["commune", "-annee"]

    def __str__(self):
        return f"{self.commune} — {self.annee}"


class CorrespondanceCode(models.Model):
    """Un code INSEE qui n'est pas une commune du COG en vigueur et la commune qui le porte :
    arrondissement municipal de Paris, Lyon, Marseille, ou commune fusionnée."""

    code = models.CharField(_("ancien code"), max_length=5, unique=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="anciens_codes")
    motif = models.CharField(max_length=20, choices=MotifCorrespondance.choices)
    depuis = models.DateField(_("en vigueur depuis le"), null=True, blank=True)

    class Meta:
        verbose_name = _("correspondance de code")
        verbose_name_plural = _("correspondances de codes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} → {self.commune}"


class CommuneRattachee(models.Model):
    """Une commune déléguée, une commune associée ou un arrondissement municipal : un nom que
    l'on tape encore (« Lomme ») et la commune en vigueur qui le porte (Lille). Son
    éligibilité est celle de cette commune."""

    code = models.CharField(_("code INSEE"), max_length=5)
    nom = models.CharField(max_length=255)
    nom_recherche = models.CharField(max_length=255, db_index=True)
    type = models.CharField(max_length=30, choices=TypeRattachement.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="communes_rattachees"
    )
    departement = models.CharField(_("département"), max_length=3)

    class Meta:
        verbose_name = _("commune rattachée")
        verbose_name_plural = _("communes rattachées")
        ordering = ["nom", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "type"], name="rattachee_unique_par_type")
        ]

    def __str__(self):
        return f"{self.nom} ({self.code}), {self.get_type_display()} de {self.commune.nom}"

    def phrase(self):
        """« Lomme est une commune associée de Lille : l'éligibilité est celle de Lille. »"""
        valeurs = {"nom": self.nom, "commune": self.commune.nom}
        if self.type == TypeRattachement.ARRONDISSEMENT:
            return (
                gettext(
                    "%(nom)s est un arrondissement municipal de %(commune)s : l'éligibilité est "
                    "celle de %(commune)s."
                )
                % valeurs
            )
        if self.type == TypeRattachement.COMMUNE_ASSOCIEE:
            return (
                gettext(
                    "%(nom)s est une commune associée de %(commune)s : l'éligibilité est celle de "
                    "%(commune)s."
                )
                % valeurs
            )
        return (
            gettext(
                "%(nom)s est une commune déléguée de %(commune)s : l'éligibilité est celle de "
                "%(commune)s."
            )
            % valeurs
        )


class ListeQpv(models.Model):
    """Une génération de la liste des QPV (2015, 2024…) ; la plus récente sert par défaut."""

    version = models.CharField(max_length=20, unique=True)  # « QPV2024 », « QPV2015 »
    annee = models.PositiveSmallIntegerField(_("génération"))
    libelle = models.CharField(max_length=255, blank=True)
    en_vigueur_le = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        verbose_name = _("liste de QPV")
        verbose_name_plural = _("listes de QPV")
        ordering = ["-annee", "-version"]

    def __str__(self):
        return self.libelle or self.version


class Qpv(models.Model):
    liste = models.ForeignKey(ListeQpv, on_delete=models.CASCADE, related_name="qpv")
    code = models.CharField(max_length=10)
    nom = models.CharField(max_length=255)
    communes = models.ManyToManyField(Commune, related_name="qpv", blank=True)

    class Meta:
        verbose_name = _("QPV")
        verbose_name_plural = _("QPV")
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
    empreinte_sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    millesime = models.CharField(_("millésime ou version"), max_length=20, blank=True)
    bilan = models.JSONField(default=dict, blank=True)
    fait_le = models.DateTimeField(auto_now_add=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("import de données de référence")
        verbose_name_plural = _("imports de données de référence")
        ordering = ["-fait_le", "-pk"]

    def __str__(self):
        return f"{self.get_type_display()} {self.millesime} ({self.fichier})"


class ReglesEligibiliteMixin(models.Model):
    """Les règles d'éligibilité d'un appel, éditées par ses gestionnaires.

    Un périmètre vide (ni EPCI ni département) veut dire « toute la France ».
    """

    perimetre_epci = models.JSONField(_("EPCI du périmètre (SIREN)"), default=list, blank=True)
    perimetre_departements = models.JSONField(
        _("départements du périmètre"), default=list, blank=True
    )
    seuil_population = models.PositiveIntegerField(
        _("seuil de population (strictement inférieur)"), default=21000
    )
    type_population = models.CharField(
        max_length=20, choices=TypePopulation.choices, default=TypePopulation.MUNICIPALE
    )
    version_qpv = models.CharField(
        _("liste de QPV"),
        max_length=20,
        blank=True,
        help_text=_("Vide : la liste la plus récente."),
    )
    qpv_intercommunal = models.CharField(
        _("QPV intercommunal"),
        max_length=20,
        choices=TraitementQpvIntercommunal.choices,
        default=TraitementQpvIntercommunal.INELIGIBLE,
    )
    types_structure = models.JSONField(
        _("types de structure acceptés"),
        default=list,
        blank=True,
        help_text=format_lazy(
            _("Vide : tous les types. Valeurs : {valeurs}"), valeurs=", ".join(TypeStructure.values)
        ),
    )

    class Meta:
        abstract = True
