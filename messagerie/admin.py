from django.contrib import admin

from messagerie.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["cree_le", "type", "destinataire", "sujet", "etat", "tentatives"]
    list_filter = ["etat", "type"]
    search_fields = ["destinataire", "sujet"]
    readonly_fields = ["etat"]
