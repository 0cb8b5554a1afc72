"""Le bilan de clôture d'un appel, tel que la page le montre : les valeurs viennent de
`activite.presentation.presenter`, masquées pour un observateur par le secret statistique de
la page ; rien n'est recalculé ni masqué ici.

Une valeur est un nombre, `null` (pas de dénominateur : aucune personne, aucun parcours), ou,
pour un observateur, l'une des marques du secret statistique, en français et telles quelles
quelle que soit la langue de la requête (des identifiants stables) :
« < 5 » (de 1 à 4 personnes), « masqué » (au moins 5, caché parce qu'il laisserait retrouver
un « < 5 » par soustraction), « non diffusé » (n'importe quel nombre, zéro compris)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activite.presentation import MASQUE, MASQUE_SECONDAIRE, NON_DIFFUSE
from api.serialiseurs.accompagnement import AppelCourt, StructureCourte

MARQUES_DU_SECRET = [MASQUE, MASQUE_SECONDAIRE, NON_DIFFUSE]
_MARQUE = {"type": "string", "enum": MARQUES_DU_SECRET}


class _TelleQuelle(serializers.Field):
    """La valeur de la présentation, sans conversion : nombre, null ou marque."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, valeur):
        return valeur


@extend_schema_field({"oneOf": [{"type": "integer"}, _MARQUE]})
class CompteDePersonnes(_TelleQuelle):
    """Un compte de personnes : un entier, ou une marque du secret pour un observateur."""


@extend_schema_field({"oneOf": [{"type": "number"}, _MARQUE], "nullable": True})
class TauxDePersonnes(_TelleQuelle):
    """Un pourcentage ou une moyenne sur des personnes : un nombre au dixième, null sans
    dénominateur, ou une marque du secret pour un observateur."""


# Les colonnes du tableau du bilan (`activite.presentation.COLONNES_TABLEAU`), dans son ordre.
class ValeursDuBilan(serializers.Serializer):
    referents_formes = CompteDePersonnes(
        help_text=_(
            "Référents formés : référents émargés présents à au moins une session de formation "
            "(personnes ; masquable)."
        )
    )
    actions = serializers.IntegerField(
        read_only=True,
        help_text=_("Actions menées : ateliers, permanences et parcours (actions)."),
    )
    ateliers_permanences = serializers.IntegerField(
        read_only=True, help_text=_("Ateliers thématiques et permanences individuelles (actions).")
    )
    parcours = serializers.IntegerField(
        read_only=True, help_text=_("Parcours d'initiation, ordinateur et tablette (parcours).")
    )
    heures_ordinateur = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Durée moyenne d'un parcours d'initiation à l'ordinateur (heures, au dixième ; "
            "null sans parcours)."
        ),
    )
    heures_tablette = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Durée moyenne d'un parcours d'initiation à la tablette (heures, au dixième ; "
            "null sans parcours)."
        ),
    )
    beneficiaires = CompteDePersonnes(
        help_text=_(
            "Personnes accompagnées : bénéficiaires ayant au moins une participation "
            "(personnes ; masquable)."
        )
    )
    beneficiaires_en_parcours = CompteDePersonnes(
        help_text=_("Dont personnes en parcours d'initiation (personnes ; masquable).")
    )
    femmes_pct = TauxDePersonnes(
        help_text=_(
            "Part des femmes parmi les personnes dont le genre est renseigné (%, au dixième ; "
            "masquable)."
        )
    )
    hommes_pct = TauxDePersonnes(
        help_text=_(
            "Part des hommes parmi les personnes dont le genre est renseigné (%, au dixième ; "
            "masquable)."
        )
    )
    age_moyen = TauxDePersonnes(
        help_text=_(
            "Âge moyen à la première participation, sur les personnes d'année de naissance "
            "connue (ans, au dixième ; masqué sous 5 personnes)."
        )
    )
    parcours_complets_pct = TauxDePersonnes(
        help_text=_(
            "Part des parcours suivis jusqu'au bout parmi les parcours terminés, complets ou "
            "abandonnés (%, au dixième ; masquable)."
        )
    )
    liste_attente = CompteDePersonnes(
        help_text=_(
            "Personnes en liste d'attente, au dernier nombre déclaré (personnes ; masquable)."
        )
    )


class ValeursDeLaCohorte(ValeursDuBilan):
    structures = serializers.IntegerField(
        read_only=True, help_text=_("Structures accompagnées : les lauréates de l'appel.")
    )


class LigneDuBilan(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Identifiant de la structure."))
    nom = serializers.CharField(read_only=True)
    siret = serializers.CharField(read_only=True, help_text=_("SIRET de la structure."))
    valeurs = ValeursDuBilan(read_only=True)


class BilanSerialiseur(serializers.Serializer):
    appel = AppelCourt(read_only=True)
    calcule_le = serializers.DateTimeField(
        read_only=True, help_text=_("Date et heure du calcul (le bilan est gardé en cache).")
    )
    masque = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Vrai pour un observateur : les comptes de personnes sont soumis au secret "
            "statistique, exactement comme sur la page du bilan."
        ),
    )
    cohorte = ValeursDeLaCohorte(read_only=True, help_text=_("Les chiffres de la cohorte."))
    structures = LigneDuBilan(
        many=True,
        read_only=True,
        help_text=_("Une ligne par structure lauréate, par nom : celles de cette page."),
    )
    next = serializers.URLField(
        read_only=True, allow_null=True, help_text=_("La page suivante des structures.")
    )
    previous = serializers.URLField(
        read_only=True, allow_null=True, help_text=_("La page précédente des structures.")
    )


class BilanCourt(serializers.Serializer):
    appel = AppelCourt(read_only=True, source="*")
    laureates = serializers.IntegerField(
        read_only=True, help_text=_("Nombre de structures lauréates de l'appel.")
    )
    masque = serializers.SerializerMethodField(
        help_text=_("Vrai si le jeton lit ce bilan masqué (observateur).")
    )
    url_api = serializers.HyperlinkedIdentityField(
        view_name="api:bilan-detail",
        lookup_field="slug",
        help_text=_("L'adresse du bilan dans l'API."),
    )

    def get_masque(self, appel) -> bool:
        return appel.programme_id not in self.context["programmes_geres"]


class ActiviteDeLaStructure(serializers.Serializer):
    appel = AppelCourt(read_only=True)
    calcule_le = serializers.DateTimeField(read_only=True)
    valeurs = ValeursDuBilan(read_only=True, help_text=_("Sa ligne du bilan détaillé."))


class ActionsParType(serializers.Serializer):
    atelier = serializers.IntegerField(read_only=True, help_text=_("Ateliers thématiques."))
    permanence = serializers.IntegerField(read_only=True, help_text=_("Permanences individuelles."))
    parcours_ordinateur = serializers.IntegerField(
        read_only=True, help_text=_("Parcours d'initiation à l'ordinateur.")
    )
    parcours_tablette = serializers.IntegerField(
        read_only=True, help_text=_("Parcours d'initiation à la tablette.")
    )


class ActiviteSerialiseur(serializers.Serializer):
    structure = StructureCourte(read_only=True)
    actions_par_type = ActionsParType(
        read_only=True, help_text=_("Nombre d'actions déclarées, par type (toutes dates).")
    )
    bilans = ActiviteDeLaStructure(
        many=True,
        read_only=True,
        help_text=_(
            "Sa ligne du bilan de chaque appel du programme du jeton dont elle est lauréate."
        ),
    )
