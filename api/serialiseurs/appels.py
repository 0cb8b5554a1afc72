from django.urls import reverse
from django.utils import timezone
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


# Un slug qu'aucune adresse de Relais ne contient, remplacé par celui de chaque appel.
_SLUG_TEMOIN = "slug-temoin-de-l-appel-0f3a9c"


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

    def to_representation(self, appel):
        """Ce qu'écrirait `ModelSerializer` (mêmes clés, même ordre, mêmes valeurs : dates dans
        le fuseau courant en ISO 8601, « Z » pour UTC), sans parcourir ses champs un à un pour
        chaque appel : c'était l'essentiel du temps d'une page de 50 appels.
        tests/api/test_appels_serialises.py le compare à la version générique."""
        fuseau = timezone.get_current_timezone()

        def instant(valeur):
            if not valeur:
                return None
            texte = valeur.astimezone(fuseau).isoformat()
            return texte[:-6] + "Z" if texte.endswith("+00:00") else texte

        programme = appel.programme
        return {
            "id": appel.pk,
            "slug": appel.slug,
            "titre": appel.titre,
            "programme": {"id": programme.pk, "nom": programme.nom, "slug": programme.slug},
            "etat": appel.etat,
            "ouverture": instant(appel.ouverture),
            "date_limite": instant(appel.date_limite),
            "nombre_places": appel.nombre_places,
            "description": appel.description,
            "publie_le": instant(appel.publie_le),
            "clos_le": instant(appel.clos_le),
            "modifie_le": instant(appel.modifie_le),
            "page": self.get_page(appel),
            "regles_eligibilite": self.get_regles_eligibilite(appel),
        }

    @extend_schema_field(ReglesEligibiliteSerialiseur)
    def get_regles_eligibilite(self, appel):
        return ReglesEligibilite.depuis_appel(appel).en_dict()

    def get_page(self, appel) -> str:
        # L'adresse est construite une fois par réponse, puis reprise pour chaque appel : un
        # slug ne contient que des caractères qu'une adresse garde tels quels ([-a-zA-Z0-9_]).
        if not hasattr(self, "_modele_de_page"):
            requete = self.context.get("request")
            chemin = reverse("candidatures:appel", args=[_SLUG_TEMOIN])
            self._modele_de_page = requete.build_absolute_uri(chemin) if requete else chemin
        return self._modele_de_page.replace(_SLUG_TEMOIN, appel.slug)


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
