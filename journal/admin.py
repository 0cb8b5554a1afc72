from django.contrib import admin

from journal.models import Evenement


@admin.register(Evenement)
class EvenementAdmin(admin.ModelAdmin):
    list_display = ["survenu_le", "type", "acteur", "cible_type", "cible_id"]
    list_filter = ["type"]
    date_hierarchy = "survenu_le"
