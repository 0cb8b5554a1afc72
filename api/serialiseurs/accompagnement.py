"""Les plans d'accompagnement, leurs jalons et les sessions de formation, tels que l'API les
montre aux gestionnaires du programme : des états, des dates et des comptes, jamais le contenu
d'une preuve ni le nom d'un référent."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accompagnement.enums import Avancement
from accompagnement.models import Formation, Jalon, PlanAccompagnement, SessionFormation
from programmes.models import Appel
from structures.models import Structure


class AppelCourt(serializers.ModelSerializer):
    class Meta:
        model = Appel
        fields = ["id", "slug", "titre"]


class StructureCourte(serializers.ModelSerializer):
    siret = serializers.CharField(help_text=_("SIRET de la structure (14 chiffres)."))

    class Meta:
        model = Structure
        fields = ["id", "nom", "siret"]


class JalonSerialiseur(serializers.ModelSerializer):
    modele = serializers.PrimaryKeyRelatedField(
        read_only=True,
        help_text=_("La ligne du modèle de jalons du programme dont il est issu (ou null)."),
    )
    avancement = serializers.ChoiceField(
        choices=Avancement.choices,
        source="avancement_du_jour",
        read_only=True,
        help_text=_(
            "L'état affiché sur la frise : l'état, ou « en_retard » pour un jalon à faire dont "
            "l'échéance est passée (jour de la requête)."
        ),
    )
    fait_le = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("Date et heure où il a été marqué fait.")
    )
    nombre_preuves = serializers.IntegerField(
        read_only=True, help_text=_("Nombre de preuves déposées (leur contenu n'est pas lu ici).")
    )

    class Meta:
        model = Jalon
        fields = [
            "id",
            "modele",
            "ordre",
            "type",
            "libelle",
            "debut",
            "echeance",
            "etat",
            "avancement",
            "fait_le",
            "nombre_preuves",
        ]


class PlanSerialiseur(serializers.ModelSerializer):
    appel = AppelCourt(source="candidature.appel", read_only=True)
    structure = StructureCourte(read_only=True)
    coach = serializers.SerializerMethodField(
        help_text=_("Nom de la ou du coach qui suit le plan (null : pas encore désigné).")
    )
    jalons_total = serializers.IntegerField(read_only=True, help_text=_("Nombre de jalons."))
    jalons_faits = serializers.IntegerField(read_only=True, help_text=_("Nombre de jalons faits."))
    jalons_en_retard = serializers.IntegerField(
        read_only=True,
        help_text=_("Nombre de jalons à faire dont l'échéance est passée (jour de la requête)."),
    )
    url_api = serializers.HyperlinkedIdentityField(
        view_name="api:plan-detail", help_text=_("L'adresse de ce plan dans l'API.")
    )

    class Meta:
        model = PlanAccompagnement
        fields = [
            "id",
            "appel",
            "structure",
            "etat",
            "date_debut",
            "cree_le",
            "coach",
            "jalons_total",
            "jalons_faits",
            "jalons_en_retard",
            "url_api",
        ]

    def get_coach(self, plan) -> str | None:
        if plan.coach is None:
            return None
        return plan.coach.get_full_name() or None


class PlanDetailSerialiseur(PlanSerialiseur):
    jalons = JalonSerialiseur(
        many=True, read_only=True, help_text=_("Les jalons du plan, par échéance.")
    )

    class Meta(PlanSerialiseur.Meta):
        fields = [*PlanSerialiseur.Meta.fields, "jalons"]


class FormationCourte(serializers.ModelSerializer):
    class Meta:
        model = Formation
        fields = ["id", "titre", "type_jalon", "duree_jours"]


# Une heure sans fuseau n'est pas un « time » au sens d'OpenAPI (RFC 3339 le veut avec son
# décalage) : une chaîne HH:MM, documentée comme telle.
@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:00"})
class Heure(serializers.TimeField):
    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", read_only=True, **kwargs)


class SessionSerialiseur(serializers.ModelSerializer):
    formation = FormationCourte(read_only=True)
    heure_debut = Heure(help_text=_("Heure de début, à l'heure de Paris (HH:MM)."))
    heure_fin = Heure(help_text=_("Heure de fin, à l'heure de Paris (HH:MM)."))
    capacite = serializers.IntegerField(read_only=True, help_text=_("Nombre de places."))
    structures_invitees = serializers.IntegerField(
        read_only=True, help_text=_("Nombre de structures (plans) invitées à la session.")
    )
    inscrits = serializers.IntegerField(
        read_only=True, help_text=_("Nombre de référents inscrits (personnes).")
    )
    presents = serializers.IntegerField(
        read_only=True,
        help_text=_("Nombre de référents émargés présents (personnes ; 0 avant l'émargement)."),
    )
    url_api = serializers.HyperlinkedIdentityField(
        view_name="api:formation-detail", help_text=_("L'adresse de cette session dans l'API.")
    )

    class Meta:
        model = SessionFormation
        fields = [
            "id",
            "formation",
            "date",
            "heure_debut",
            "heure_fin",
            "lieu",
            "capacite",
            "structures_invitees",
            "inscrits",
            "presents",
            "url_api",
        ]
