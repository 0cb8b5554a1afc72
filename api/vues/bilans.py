"""Les bilans de clôture et l'activité d'une structure lauréate.

Le bilan d'un appel est celui de sa page (`activite.views.bilan`) : `vue_du_bilan`, masqué
pour un observateur, détaillé pour un gestionnaire du programme du jeton, ses structures par
pages.
Un observateur ne lit que les agrégats masqués : aucun nom de personne, aucune ligne
d'activité. L'activité d'une structure est réservée au gestionnaire du programme où elle est
lauréate."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from activite.bilan import bilan_a_jour
from activite.enums import TypeAction
from activite.models import Action
from activite.presentation import valeurs_affichees, vue_du_bilan
from api.filtres import FiltresAppels
from api.pagination import CurseurDeRang
from api.portee import programmes_geres, programmes_observes
from api.serialiseurs.bilans import ActiviteSerialiseur, BilanCourt, BilanSerialiseur
from api.vues.accompagnement import identifiant
from candidatures.enums import EtatCandidature
from noyau.pages_en_cache import ReponseEnCache
from programmes.models import Appel
from structures.models import Structure

ETIQUETTE_BILANS = _("Bilans")


class LecteurDesBilans(permissions.BasePermission):
    """La liste : au gestionnaire ou à l'observateur du programme du jeton. Le détail d'un
    bilan se lit dans ce périmètre, vide pour tout autre jeton : 404."""

    message = _("Seuls un gestionnaire ou un observateur du programme du jeton lisent les bilans.")

    def has_permission(self, request, view):
        if getattr(view, "action", None) != "list":
            return True
        return bool(programmes_geres(request) or programmes_observes(request))


@extend_schema_view(
    list=extend_schema(
        summary=_("Les bilans de clôture"),
        description=_(
            "Les appels du programme du jeton qui ont des lauréates, un bilan chacun, avec "
            "l'adresse de ce bilan. Pour le gestionnaire du programme et pour un observateur "
            "partenaire ; tout autre jeton reçoit 403."
        ),
        tags=[ETIQUETTE_BILANS],
    ),
    retrieve=extend_schema(
        summary=_("Le bilan de clôture d'un appel"),
        description=_(
            "Les chiffres de la cohorte et de chaque structure lauréate, ceux de la page du "
            "bilan. Le gestionnaire du programme lit les valeurs exactes. Un observateur lit "
            "exactement ce que la page lui montre : tout compte de personnes de 1 à 4 vaut "
            "« < 5 », ce qui laisserait le retrouver par soustraction vaut « masqué », et "
            "« non diffusé » cache n'importe quel nombre ; un vrai zéro reste 0 ; un "
            "pourcentage ou une moyenne qui laisserait retrouver un compte masqué est "
            "masqué aussi. Les comptes d'actions et les durées ne sont jamais masqués. Les "
            "marques restent en français quelle que soit la langue demandée. Chaque colonne et "
            "son unité (personnes, actions, heures, %, ans) est décrite dans le schéma. Un "
            "appel hors du programme du jeton ou sans lauréate : 404. Les structures se lisent "
            "par pages (50 par défaut, « taille » jusqu'à 200) ; « next » et « previous » "
            "donnent les pages voisines, les chiffres de la cohorte sont sur chaque page."
        ),
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                description=_("Le slug de l'appel, celui de l'adresse de sa page."),
            ),
            *CurseurDeRang.parametres_du_schema(),
        ],
        tags=[ETIQUETTE_BILANS],
    ),
)
class Bilans(
    ReponseEnCache, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [permissions.IsAuthenticated, LecteurDesBilans]
    filterset_class = FiltresAppels
    lookup_field = "slug"
    message_introuvable = _("Aucun appel du programme du jeton n'a de bilan à cette adresse.")
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_serializer_class(self):
        return BilanSerialiseur if self.action == "retrieve" else BilanCourt

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "programmes_geres": self._geres()}

    def _geres(self):
        return programmes_geres(self.request)

    def get_queryset(self):
        programmes = self._geres() | programmes_observes(self.request)
        return (
            Appel.objects.filter(programme_id__in=programmes)
            .annotate(
                laureates=Count(
                    "candidatures", filter=Q(candidatures__etat=EtatCandidature.RETENUE)
                )
            )
            .filter(laureates__gt=0)
        )

    def retrieve(self, request, *args, **kwargs):
        appel = self.get_object()
        masquer = appel.programme_id not in self._geres()
        curseur = CurseurDeRang(request)
        vue = vue_du_bilan(appel, masquer=masquer, debut=curseur.debut, fin=curseur.fin)
        suivante, precedente = curseur.liens(vue["nombre_de_lignes"])
        donnees = {
            "appel": appel,
            "calcule_le": vue["calcule_le"],
            "masque": vue["masque"],
            "cohorte": {"structures": vue["structures"], **vue["valeurs"]},
            "structures": [
                {
                    "id": ligne["pk"],
                    "nom": ligne["structure"],
                    "siret": ligne["siret"],
                    "valeurs": ligne["valeurs"],
                }
                for ligne in vue["lignes"]
            ],
            "next": suivante,
            "previous": precedente,
        }
        return Response(BilanSerialiseur(donnees, context=self.get_serializer_context()).data)


class ActiviteDUneStructure(APIView):
    """L'activité d'une structure lauréate d'un appel du programme du jeton."""

    @extend_schema(
        summary=_("L'activité d'une structure lauréate"),
        description=_(
            "Pour le gestionnaire du programme du jeton, quand la structure est lauréate d'un "
            "de ses appels : sa ligne du bilan détaillé de chacun de ces appels et le nombre "
            "de ses actions par type. Sinon 404. C'est l'adresse que donne l'avis « activité "
            "importée »."
        ),
        parameters=[identifiant(_("Identifiant de la structure."))],
        responses={200: ActiviteSerialiseur},
        tags=[ETIQUETTE_BILANS],
    )
    def get(self, request, pk):
        appels = list(
            Appel.objects.filter(
                programme_id__in=programmes_geres(request),
                candidatures__structure_id=pk,
                candidatures__etat=EtatCandidature.RETENUE,
            )
            .distinct()
            .order_by("pk")
        )
        if not appels:
            raise NotFound(_("Aucune structure lauréate du programme du jeton ne porte ce numéro."))
        structure = Structure.objects.get(pk=pk)
        bilans = []
        for appel in appels:
            bilan = bilan_a_jour(appel)
            ligne = next(ligne for ligne in bilan.par_structure if ligne["pk"] == structure.pk)
            bilans.append(
                {
                    "appel": appel,
                    "calcule_le": bilan.calcule_le,
                    "valeurs": valeurs_affichees(ligne),
                }
            )
        actions = dict.fromkeys(TypeAction.values, 0)
        for type_action, nombre in (
            Action.objects.filter(structure=structure)
            .values("type")
            .annotate(nombre=Count("pk"))
            .values_list("type", "nombre")
            .order_by()
        ):
            actions[type_action] = nombre
        donnees = {"structure": structure, "actions_par_type": actions, "bilans": bilans}
        return Response(ActiviteSerialiseur(donnees, context={"request": request}).data)
