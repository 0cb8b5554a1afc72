"""Administration des données de référence : consultation et corrections ponctuelles.

Les imports passent par la commande `import_territoires` ou la page « Données de référence »
du back-office, qui valident tout le fichier et tracent l'import.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from territoires.models import (
    Commune,
    CommuneRattachee,
    CorrespondanceCode,
    Epci,
    ImportReferentiel,
    ListeQpv,
    PopulationLegale,
    Qpv,
)


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["siren", "nom", "nombre_communes"]
    search_fields = ["siren", "nom"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nombre=Count("communes"))

    @admin.display(description=_("communes"), ordering="nombre")
    def nombre_communes(self, epci):
        return epci.nombre


class PopulationLegaleInline(admin.TabularInline):
    model = PopulationLegale
    extra = 0
    fields = ["annee", "municipale", "totale"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = [
        "code_insee",
        "nom",
        "departement",
        "epci",
        "population_municipale",
        "population_totale",
        "annee_population",
    ]
    search_fields = ["code_insee", "nom", "nom_recherche"]
    list_filter = ["annee_population"]
    list_select_related = ["epci"]
    raw_id_fields = ["epci"]
    readonly_fields = ["nom_recherche"]
    inlines = [PopulationLegaleInline]


@admin.register(CorrespondanceCode)
class CorrespondanceCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "commune", "motif", "depuis"]
    list_filter = ["motif"]
    search_fields = ["code", "commune__nom", "commune__code_insee"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]


@admin.register(ListeQpv)
class ListeQpvAdmin(admin.ModelAdmin):
    list_display = ["version", "annee", "libelle", "en_vigueur_le", "nombre_qpv"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nombre=Count("qpv"))

    @admin.display(description=_("QPV"), ordering="nombre")
    def nombre_qpv(self, liste):
        return liste.nombre


@admin.register(Qpv)
class QpvAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "liste"]
    list_filter = ["liste"]
    search_fields = ["code", "nom", "communes__nom", "communes__code_insee"]
    list_select_related = ["liste"]
    autocomplete_fields = ["communes"]


@admin.register(ImportReferentiel)
class ImportReferentielAdmin(admin.ModelAdmin):
    list_display = ["fait_le", "type", "millesime", "fichier", "par"]
    list_filter = ["type"]
    readonly_fields = [
        "type",
        "fichier",
        "empreinte_sha256",
        "millesime",
        "bilan",
        "fait_le",
        "par",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(CommuneRattachee)
class CommuneRattacheeAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "type", "commune"]
    list_filter = ["type"]
    search_fields = ["code", "nom", "commune__nom"]
    list_select_related = ["commune"]
    raw_id_fields = ["commune"]
