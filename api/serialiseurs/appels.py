from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.models import Appel, Programme
from territoires.eligibilite import ReglesEligibilite


class ProgrammeCourt(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "nom", "slug"]


class ReglesEligibiliteSerialiseur(serializers.Serializer):
    perimetre_epci = serializers.ListField(
        child=serializers.CharField(), help_text=_("SIREN des EPCI du périmètre (vide : aucun).")
    )
    perimetre_departements = serializers.ListField(
        child=serializers.CharField(), help_text=_("Codes des départements du périmètre.")
    )
    seuil_population = serializers.IntegerField(
        help_text=_("Population au-dessous de laquelle une commune est éligible (habitants).")
    )
    type_population = serializers.CharField(help_text=_("municipale ou totale (INSEE)."))
    version_qpv = serializers.CharField(
        help_text=_("Liste des quartiers prioritaires appliquée (vide : la plus récente).")
    )
    qpv_intercommunal = serializers.CharField(
        help_text=_("Traitement d'un QPV partagé entre plusieurs communes.")
    )
    types_structure = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Types de structure admis (vide : tous)."),
    )


class AppelSerialiseur(serializers.ModelSerializer):
    programme = ProgrammeCourt(read_only=True)
    regles_eligibilite = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField(help_text=_("La page publique de l'appel."))

    class Meta:
        model = Appel
        fields = [
            "id",
            "slug",
            "titre",
            "programme",
            "etat",
            "ouverture",
            "date_limite",
            "nombre_places",
            "description",
            "publie_le",
            "clos_le",
            "modifie_le",
            "page",
            "regles_eligibilite",
        ]

    @extend_schema_field(ReglesEligibiliteSerialiseur)
    def get_regles_eligibilite(self, appel):
        return ReglesEligibilite.depuis_appel(appel).en_dict()

    def get_page(self, appel) -> str:
        requete = self.context.get("request")
        chemin = reverse("candidatures:appel", args=[appel.slug])
        return requete.build_absolute_uri(chemin) if requete else chemin


class EligibiliteSerialiseur(serializers.Serializer):
    code = serializers.CharField(help_text=_("Le code INSEE demandé."))
    result = serializers.ChoiceField(
        choices=["eligible", "non_eligible", "a_examiner"], help_text=_("Le verdict.")
    )
    summary = serializers.CharField(help_text=_("La réponse en une phrase, en français."))
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text=_("Une phrase par règle appliquée.")
    )
    commune = serializers.CharField()
    insee_code = serializers.CharField(help_text=_("Le code de la commune évaluée."))
    department = serializers.CharField()
    epci = serializers.DictField(allow_null=True)
    mapped_from = serializers.DictField(
        allow_null=True,
        help_text=_("Le code demandé, s'il désigne un arrondissement ou une ancienne commune."),
    )
    population = serializers.IntegerField(allow_null=True)
    population_year = serializers.IntegerField(allow_null=True)
    population_type = serializers.CharField()
    qpv_list = serializers.CharField(allow_null=True)
    qpv_list_year = serializers.IntegerField(allow_null=True)
    qpv = serializers.ListField(child=serializers.DictField())
    structure_type = serializers.CharField(allow_null=True)
    rules = ReglesEligibiliteSerialiseur()
