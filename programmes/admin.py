from django.contrib import admin

from programmes.models import Appel, PieceDemandee, Programme, Question


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["nom", "slug"]
    prepopulated_fields = {"slug": ["nom"]}
    filter_horizontal = ["gestionnaires"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    # Une liste de toutes les questions de tous les appels serait lourde et trompeuse.
    raw_id_fields = ["condition"]


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
