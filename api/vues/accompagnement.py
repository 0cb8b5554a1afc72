"""L'accompagnement des lauréates, pour le gestionnaire du programme du jeton : les plans et
leurs jalons, les sessions de formation et leurs comptes d'inscrits et de présents.

Un autre jeton (candidat, jury, coach, observateur) est refusé sur les listes (403) et ne trouve
aucun objet (404) : il ne lit aucune donnée nominative de l'accompagnement. Le nombre de
requêtes d'une page ne dépend pas du nombre de lignes."""

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from accompagnement.enums import ETATS_JALON_A_FAIRE, EtatJalon, EtatPlan, TypeJalon
from accompagnement.models import Jalon, PlanAccompagnement, SessionFormation
from api.filtres import filtre_de_date, filtre_identifiant
from api.portee import programmes_geres
from api.serialiseurs.accompagnement import (
    PlanDetailSerialiseur,
    PlanSerialiseur,
    SessionSerialiseur,
)

ETIQUETTE_ACCOMPAGNEMENT = _("Accompagnement")


class GestionnaireDuProgramme(permissions.BasePermission):
    """Les listes : au gestionnaire du programme du jeton. Le détail d'un objet se lit dans le
    périmètre de la requête, vide pour tout autre jeton : 404, sans dire que l'objet existe."""

    message = _("Seul un gestionnaire du programme du jeton lit ces données.")

    def has_permission(self, request, view):
        return getattr(view, "action", None) != "list" or bool(programmes_geres(request))


def identifiant(description):
    return OpenApiParameter("id", int, OpenApiParameter.PATH, description=description)


def filtre_de_jour(champ, sens, aide):
    return django_filters.DateFilter(field_name=champ, lookup_expr=sens, help_text=aide)


class FiltresPlans(django_filters.FilterSet):
    etat = django_filters.ChoiceFilter(choices=EtatPlan.choices, help_text=_("État du plan."))
    appel = filtre_identifiant(
        "candidature__appel_id", _("Identifiant de l'appel dont il est issu.")
    )
    structure = filtre_identifiant("structure_id", _("Identifiant de la structure accompagnée."))
    demarre_apres = filtre_de_jour("date_debut", "gte", _("Démarré ce jour ou après (AAAA-MM-JJ)."))
    demarre_avant = filtre_de_jour("date_debut", "lt", _("Démarré avant ce jour (AAAA-MM-JJ)."))
    cree_apres = filtre_de_date("cree_le", "gte", _("Créé à partir de cette date (ISO 8601)."))

    class Meta:
        model = PlanAccompagnement
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary=_("Les plans d'accompagnement"),
        description=_(
            "Les plans des structures lauréates du programme du jeton, avec le compte de leurs "
            "jalons (faits, en retard). Réservé au gestionnaire du programme : tout autre "
            "jeton reçoit 403."
        ),
        tags=[ETIQUETTE_ACCOMPAGNEMENT],
    ),
    retrieve=extend_schema(
        summary=_("Un plan d'accompagnement et ses jalons"),
        description=_(
            "Le plan et ses jalons : dates, état, avancement du jour et nombre de preuves "
            "déposées (jamais leur contenu). Un plan hors du programme du jeton : 404."
        ),
        parameters=[identifiant(_("Identifiant du plan."))],
        tags=[ETIQUETTE_ACCOMPAGNEMENT],
    ),
)
class Plans(viewsets.ReadOnlyModelViewSet):
    message_introuvable = _("Aucun plan du programme du jeton ne porte cet identifiant.")
    lookup_value_regex = "[0-9]+"
    permission_classes = [permissions.IsAuthenticated, GestionnaireDuProgramme]
    filterset_class = FiltresPlans

    def get_serializer_class(self):
        return PlanDetailSerialiseur if self.action == "retrieve" else PlanSerialiseur

    def get_queryset(self):
        aujourd_hui = timezone.localdate()
        plans = (
            PlanAccompagnement.objects.filter(programme_id__in=programmes_geres(self.request))
            .select_related("candidature__appel", "structure", "coach")
            .annotate(
                jalons_total=Count("jalons"),
                jalons_faits=Count("jalons", filter=Q(jalons__etat=EtatJalon.FAIT)),
                jalons_en_retard=Count(
                    "jalons",
                    filter=Q(
                        jalons__etat__in=ETATS_JALON_A_FAIRE, jalons__echeance__lt=aujourd_hui
                    ),
                ),
            )
        )
        if self.action == "retrieve":
            jalons = (
                Jalon.objects.avec_avancement(aujourd_hui)
                .annotate(nombre_preuves=Count("preuves"))
                .order_by("echeance", "ordre", "pk")
            )
            plans = plans.prefetch_related(Prefetch("jalons", queryset=jalons))
        return plans


class FiltresSessions(django_filters.FilterSet):
    date_apres = filtre_de_jour("date", "gte", _("Session ce jour ou après (AAAA-MM-JJ)."))
    date_avant = filtre_de_jour("date", "lt", _("Session avant ce jour (AAAA-MM-JJ)."))
    formation = filtre_identifiant("formation_id", _("Identifiant de la formation."))
    type_jalon = django_filters.ChoiceFilter(
        field_name="formation__type_jalon",
        choices=TypeJalon.choices,
        help_text=_("Le jalon des plans que la formation remplit."),
    )

    class Meta:
        model = SessionFormation
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary=_("Les sessions de formation"),
        description=_(
            "Une ligne par session d'une formation du programme du jeton : date, horaires, "
            "lieu, places, et les comptes de structures invitées, de référents inscrits et de "
            "référents présents (jamais leurs noms). Réservé au gestionnaire du programme : "
            "tout autre jeton reçoit 403."
        ),
        tags=[ETIQUETTE_ACCOMPAGNEMENT],
    ),
    retrieve=extend_schema(
        summary=_("Une session de formation"),
        description=_("La session et ses comptes. Une session hors du programme du jeton : 404."),
        parameters=[identifiant(_("Identifiant de la session."))],
        tags=[ETIQUETTE_ACCOMPAGNEMENT],
    ),
)
class Formations(viewsets.ReadOnlyModelViewSet):
    message_introuvable = _("Aucune session du programme du jeton ne porte cet identifiant.")
    lookup_value_regex = "[0-9]+"
    permission_classes = [permissions.IsAuthenticated, GestionnaireDuProgramme]
    serializer_class = SessionSerialiseur
    filterset_class = FiltresSessions

    def get_queryset(self):
        return (
            SessionFormation.objects.filter(
                formation__programme_id__in=programmes_geres(self.request)
            )
            .select_related("formation")
            .annotate(
                structures_invitees=Count("plans", distinct=True),
                inscrits=Count("inscriptions", distinct=True),
                presents=Count("emargements", filter=Q(emargements__present=True), distinct=True),
            )
        )
