from django.contrib import admin

from relances.models import PreferencesRelances, ReglageRelance, Relance


@admin.register(Relance)
class RelanceAdmin(admin.ModelAdmin):
    list_display = ["creee_le", "type_code", "destinataire", "decalage", "etat"]
    list_filter = ["type_code", "etat"]
    readonly_fields = ["cle", "message"]


admin.site.register(ReglageRelance)
admin.site.register(PreferencesRelances)
