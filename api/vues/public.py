"""Ce que l'API montre à tous, sans jeton : les appels ouverts, leurs règles d'éligibilité, la
réponse d'éligibilité pour une commune. Avec le jeton d'un gestionnaire, la liste des appels
compte aussi ceux de son programme, dans tous leurs états."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filtres import FiltresAppels
from api.portee import programmes_geres
from api.serialiseurs.appels import AppelSerialiseur, EligibiliteSerialiseur
from noyau.pages_en_cache import ReponseEnCache
from programmes.enums import EtatAppel
from programmes.models import Appel
from territoires.eligibilite import ReglesEligibilite, evaluer_eligibilite
from territoires.exceptions import CommuneInconnue

ETIQUETTE_PUBLIC = _("Public")


@extend_schema_view(
    list=extend_schema(
        summary=_("Les appels"),
        description=_(
            "Sans jeton : les appels ouverts aux candidatures. Avec le jeton d'un gestionnaire : "
            "aussi tous les appels de son programme, quel que soit leur état."
        ),
        tags=[ETIQUETTE_PUBLIC],
    ),
    retrieve=extend_schema(
        summary=_("Un appel et ses règles d'éligibilité"),
        description=_("Un appel ouvert, ou un appel du programme du jeton d'un gestionnaire."),
        tags=[ETIQUETTE_PUBLIC],
    ),
)
class Appels(ReponseEnCache, viewsets.ReadOnlyModelViewSet):
    serializer_class = AppelSerialiseur
    lookup_value_regex = "[0-9]+"
    filterset_class = FiltresAppels
    permission_classes = [AllowAny]

    def get_queryset(self):
        return (
            Appel.objects.filter(
                Q(etat=EtatAppel.OUVERT) | Q(programme_id__in=programmes_geres(self.request))
            )
            .select_related("programme")
            .defer(
                # Ni lues ni montrées : autant de dates de moins à décoder par appel.
                "regles_verifiees_le",
                "cree_le",
                "copie_de",
                "programme__partenaires",
                "programme__cree_le",
            )
        )


class DemandeEligibilite(serializers.Serializer):
    commune = serializers.CharField(max_length=10, help_text=_("Code INSEE de la commune."))
    appel = serializers.IntegerField(
        required=False,
        help_text=_("Identifiant d'un appel ouvert : ses règles (sinon les règles générales)."),
    )


class Eligibilite(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary=_("La réponse d'éligibilité pour une commune"),
        description=_(
            "Le même verdict que la page « Suis-je éligible ? », avec ses raisons et les faits "
            "retenus (population INSEE, quartiers prioritaires, EPCI). Les phrases sont en "
            "français, comme celles que la candidature fige au dépôt."
        ),
        parameters=[DemandeEligibilite],
        responses={200: EligibiliteSerialiseur},
        tags=[ETIQUETTE_PUBLIC],
    )
    def get(self, request):
        demande = DemandeEligibilite(data=request.query_params)
        demande.is_valid(raise_exception=True)
        regles = ReglesEligibilite()
        if "appel" in demande.validated_data:
            appel = Appel.objects.filter(
                Q(etat=EtatAppel.OUVERT) | Q(programme_id__in=programmes_geres(request)),
                pk=demande.validated_data["appel"],
            ).first()
            if appel is None:
                raise NotFound(_("Aucun appel ouvert ne porte cet identifiant."))
            regles = ReglesEligibilite.depuis_appel(appel)
        try:
            reponse = evaluer_eligibilite(demande.validated_data["commune"], regles)
        except CommuneInconnue as erreur:
            raise ValidationError({"commune": [str(erreur)]}) from erreur
        return Response(reponse.en_dict())
