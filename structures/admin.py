from django.contrib import admin

from structures.models import InvitationStructure, MembreStructure, Structure


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
