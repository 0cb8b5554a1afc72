"""Les candidatures, les résultats d'un appel et le journal d'un objet, lus avec un jeton.

Le jeton d'un gestionnaire lit les candidatures du programme du jeton (brouillons compris,
comme la liste d'un appel à l'écran), les notes agrégées du jury et les décisions ; celui
d'une structure candidate, les candidatures de ses structures à ce programme, et leur décision
une fois les résultats publiés. Un objet hors de ce périmètre répond 404."""

from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce, Round
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, viewsets
from rest_framework.exceptions import ValidationError

from accompagnement.models import PlanAccompagnement
from api.filtres_candidatures import FiltresCandidatures
from api.pagination import Curseur
from api.portee import programme_du_jeton, programmes_geres, structures_candidates
from api.serialiseurs.candidatures import CandidatureDetaillee, CandidatureEnListe
from api.serialiseurs.journal import LigneDuJournal, ResultatDeLAppel
from candidatures.models import Candidature, PieceJointe
from evaluation.models import Decision
from journal.models import Evenement
from journal.selectors import libelles_des_etats
from noyau.pages_en_cache import ReponseEnCache
from noyau.perimetre import champ_du_programme
from programmes.models import Appel

ETIQUETTE_CANDIDATURES = _("Candidatures")
ETIQUETTE_JOURNAL = _("Journal")


class LitDesCandidatures(permissions.BasePermission):
    """La liste demande le jeton d'un gestionnaire ou d'une structure candidate ; le détail
    répond 404 à tout autre jeton, comme pour un objet qui n'existe pas."""

    message = _(
        "Ce jeton ne lit aucune candidature : il faut celui d'un gestionnaire du programme "
        "ou d'une structure candidate."
    )

    def has_permission(self, request, view):
        if getattr(view, "action", None) != "list":
            return True
        return bool(programmes_geres(request) or structures_candidates(request))


class GereLeProgrammeDuJeton(permissions.BasePermission):
    message = _("Ce point d'accès est réservé au jeton d'un gestionnaire du programme.")

    def has_permission(self, request, view):
        return bool(programmes_geres(request))


def candidatures_lues(request):
    """Les candidatures que la requête lit : celles du programme qu'elle gère, et celles de
    ses structures dans le programme du jeton."""
    return Candidature.objects.filter(
        Q(appel__programme_id__in=programmes_geres(request))
        | Q(
            structure_id__in=structures_candidates(request),
            appel__programme_id=programme_du_jeton(request),
        )
    )


def avec_les_agregats_du_jury(candidatures):
    """Les agrégats du classement (`evaluation.selectors.classement`), lus dans les agrégats
    enregistrés de chaque candidature (`AgregatsDuJury`, une jointure, sans regroupement) :
    les notes qui comptent, leur moyenne au centième et leur médiane."""
    return candidatures.annotate(
        nombre_notes=Coalesce(F("agregats_jury__nombre_notes"), 0),
        centiemes=Round(F("agregats_jury__moyenne") * 100),
        moyenne=F("centiemes") / 100.0,
        mediane=F("agregats_jury__mediane"),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("Les candidatures"),
        description=_(
            "Gestionnaire : les candidatures aux appels du programme du jeton, brouillons "
            "compris (comme la liste d'un appel à l'écran ; filtrez avec « etat »), avec les "
            "agrégats des notes du jury et la décision. Structure candidate : les candidatures "
            "de ses structures à ce programme, et leur décision une fois les résultats publiés. "
            "Les autres jetons reçoivent 403. La liste ne donne ni les réponses ni les pièces : "
            "lisez-les dans le détail."
        ),
        tags=[ETIQUETTE_CANDIDATURES],
    ),
    retrieve=extend_schema(
        summary=_("Une candidature, ses réponses et ses pièces"),
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=_("Identifiant de la candidature."),
            )
        ],
        description=_(
            "Tout ce que la liste donne, plus l'éligibilité figée au dépôt, les réponses aux "
            "questions affichées (dans l'ordre du formulaire) et les métadonnées des fichiers "
            "joints. Jamais les étiquettes ni les notes privées de l'équipe, ni la note d'un "
            "membre du jury. Une candidature hors du périmètre du jeton répond 404."
        ),
        tags=[ETIQUETTE_CANDIDATURES],
    ),
)
class Candidatures(ReponseEnCache, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    filterset_class = FiltresCandidatures
    permission_classes = [permissions.IsAuthenticated, LitDesCandidatures]

    def get_serializer_class(self):
        return CandidatureDetaillee if self.action == "retrieve" else CandidatureEnListe

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "programmes_geres": self._programmes()}

    def _programmes(self):
        return programmes_geres(self.request) if self.request else frozenset()

    def get_queryset(self):
        candidatures = candidatures_lues(self.request).select_related(
            "appel", "structure__commune", "decision_jury__deliberation"
        )
        if self._programmes():
            candidatures = avec_les_agregats_du_jury(candidatures)
        if self.action == "retrieve":
            candidatures = candidatures.prefetch_related(
                "appel__questions",
                Prefetch(
                    "pieces_jointes", queryset=PieceJointe.objects.select_related("piece_demandee")
                ),
            )
        return candidatures


# « pk » s'écrit « id » dans les chemins du schéma (SCHEMA_COERCE_PATH_PK).
PARAMETRE_APPEL = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("Identifiant de l'appel.")
)


@extend_schema(
    summary=_("Les décisions d'un appel"),
    description=_(
        "Pour le gestionnaire du programme : la décision de la délibération sur chaque "
        "candidature de l'appel, publiée ou non encore. Les autres jetons reçoivent 403 ; un "
        "appel d'un autre programme répond 404."
    ),
    parameters=[PARAMETRE_APPEL],
    tags=[ETIQUETTE_CANDIDATURES],
)
class ResultatsAppel(generics.ListAPIView):
    serializer_class = ResultatDeLAppel
    permission_classes = [permissions.IsAuthenticated, GereLeProgrammeDuJeton]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        appel = get_object_or_404(
            Appel.objects.filter(programme_id__in=programmes_geres(self.request)),
            pk=self.kwargs["pk"],
        )
        return Decision.objects.filter(deliberation__appel=appel).select_related(
            "candidature__structure", "deliberation"
        )


# Les objets dont le journal se lit : le nom du type dans l'adresse → le modèle.
OBJETS_JOURNALISES = {
    "appel": Appel,
    "candidature": Candidature,
    "plan": PlanAccompagnement,
}


class CurseurDuPlusRecent(Curseur):
    ordering = "-pk"


@extend_schema(
    summary=_("Le journal d'un objet"),
    description=_(
        "Pour le gestionnaire du programme : les lignes du journal d'un appel, d'une "
        "candidature ou d'un plan d'accompagnement, de la plus récente à la plus ancienne, "
        "comme la page de l'objet les montre (qui a agi, changement d'état, motif). Les autres "
        "jetons reçoivent 403 ; un objet d'un autre programme répond 404."
    ),
    parameters=[
        OpenApiParameter(
            "type",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            enum=list(OBJETS_JOURNALISES),
            description=_("Le type de l'objet."),
        ),
        OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("Son identifiant.")
        ),
    ],
    tags=[ETIQUETTE_JOURNAL],
)
class Journal(generics.ListAPIView):
    serializer_class = LigneDuJournal
    permission_classes = [permissions.IsAuthenticated, GereLeProgrammeDuJeton]
    pagination_class = CurseurDuPlusRecent

    def objet(self):
        if not hasattr(self, "_objet"):
            modele = OBJETS_JOURNALISES.get(self.kwargs["type"])
            if modele is None:
                raise ValidationError(
                    {
                        "type": [
                            _("Type d'objet inconnu. Types acceptés : %(types)s.")
                            % {"types": ", ".join(OBJETS_JOURNALISES)}
                        ]
                    }
                )
            geres = {f"{champ_du_programme(modele)}__in": programmes_geres(self.request)}
            self._objet = get_object_or_404(modele.objects.filter(**geres), pk=self.kwargs["pk"])
        return self._objet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evenement.objects.none()
        return Evenement.objects.de(self.objet()).select_related("acteur")

    def get_serializer_context(self):
        contexte = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            objet = self.objet()
            contexte.update(objet=objet, etats=libelles_des_etats(type(objet)))
        return contexte
