from django.contrib import admin

from candidatures.models import (
    Appel,
    Candidature,
    InvitationStructure,
    MembreStructure,
    PieceDemandee,
    PieceJointe,
    Programme,
    Question,
    Structure,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["nom", "slug"]
    prepopulated_fields = {"slug": ["nom"]}
    filter_horizontal = ["gestionnaires"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class PieceDemandeeInline(admin.TabularInline):
    model = PieceDemandee
    extra = 0


@admin.register(Appel)
class AppelAdmin(admin.ModelAdmin):
    list_display = ["titre", "programme", "etat", "ouverture", "date_limite"]
    list_filter = ["etat", "programme"]
    search_fields = ["titre", "slug"]
    readonly_fields = ["etat", "publie_le", "clos_le", "regles_verifiees_le"]
    inlines = [QuestionInline, PieceDemandeeInline]


class MembreStructureInline(admin.TabularInline):
    model = MembreStructure
    extra = 0
    raw_id_fields = ["utilisateur"]


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "siret", "commune"]
    list_filter = ["type"]
    search_fields = ["nom", "siret", "commune__nom"]
    raw_id_fields = ["commune"]
    inlines = [MembreStructureInline]


@admin.register(InvitationStructure)
class InvitationStructureAdmin(admin.ModelAdmin):
    list_display = ["email", "structure", "creee_le", "expire_le", "acceptee_le"]
    exclude = ["empreinte_jeton"]
    raw_id_fields = ["structure", "invitee_par", "acceptee_par"]


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
