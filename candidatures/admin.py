from django.contrib import admin

from candidatures.models import Candidature, PieceJointe


class PieceJointeInline(admin.TabularInline):
    model = PieceJointe
    extra = 0
    fields = ["nom_original", "type_mime", "taille", "ajoutee_le"]
    readonly_fields = fields
    can_delete = False


@admin.register(Candidature)
class CandidatureAdmin(admin.ModelAdmin):
    list_display = ["structure", "appel", "etat", "resultat_eligibilite", "deposee_le"]
    list_filter = ["etat", "resultat_eligibilite", "appel"]
    search_fields = ["structure__nom"]
    raw_id_fields = ["structure", "appel", "creee_par", "eligibilite_forcee_par"]
    readonly_fields = ["etat", "eligibilite"]
    inlines = [PieceJointeInline]
