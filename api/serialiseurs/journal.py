"""Le journal d'un objet et les résultats d'un appel, tels que le gestionnaire les lit à
l'écran."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from candidatures.models import Candidature
from candidatures.selectors import TRANSITIONS_DE_LA_STRUCTURE
from evaluation.enums import SensDecision
from evaluation.models import Decision
from journal.enums import TypeEvenement
from journal.models import Evenement


class LigneDuJournal(serializers.ModelSerializer):
    date = serializers.DateTimeField(source="survenu_le")
    type = serializers.CharField(
        help_text=_("Le code de l'événement (« changement_etat » pour un changement d'état).")
    )
    type_libelle = serializers.SerializerMethodField(help_text=_("Le type d'événement, en clair."))
    libelle = serializers.SerializerMethodField(
        help_text=_(
            "Ce que la page de l'objet affiche : l'état d'arrivée d'un changement d'état, "
            "sinon le type d'événement."
        )
    )
    transition = serializers.CharField(
        help_text=_("Le nom de la transition d'un changement d'état (vide sinon).")
    )
    depuis = serializers.CharField(help_text=_("L'état de départ (vide sinon)."))
    vers = serializers.CharField(help_text=_("L'état d'arrivée (vide sinon)."))
    acteur = serializers.SerializerMethodField(
        help_text=_(
            "Qui a agi, comme la page de l'objet le montre au gestionnaire : le nom de la "
            "personne, « La structure » ou « Relais » quand aucun compte n'est connu."
        )
    )
    motif = serializers.CharField(help_text=_("Le motif ou le commentaire noté (vide sinon)."))

    class Meta:
        model = Evenement
        fields = [
            "id",
            "date",
            "type",
            "type_libelle",
            "libelle",
            "transition",
            "depuis",
            "vers",
            "acteur",
            "motif",
        ]

    def get_type_libelle(self, evenement) -> str:
        if evenement.type in TypeEvenement.values:
            return str(TypeEvenement(evenement.type).label)
        return evenement.type

    def get_libelle(self, evenement) -> str:
        etats = self.context.get("etats", {})
        if evenement.vers:
            return etats.get(evenement.vers, evenement.libelle)
        return evenement.libelle

    def get_acteur(self, evenement) -> str:
        acteur = evenement.acteur
        if acteur is not None:
            return acteur.get_full_name() or acteur.email
        # Sans compte connu (données reprises), un dépôt ou un retrait de candidature vient de
        # la structure, comme dans la chronologie de la candidature ; le reste, de Relais.
        if (
            isinstance(self.context.get("objet"), Candidature)
            and evenement.transition in TRANSITIONS_DE_LA_STRUCTURE
        ):
            return gettext("La structure")
        return "Relais"


class ResultatDeLAppel(serializers.ModelSerializer):
    candidature = serializers.IntegerField(
        source="candidature_id", help_text=_("Identifiant de la candidature.")
    )
    reference = serializers.CharField(source="candidature.reference")
    structure = serializers.CharField(
        source="candidature.structure.nom", help_text=_("Le nom de la structure candidate.")
    )
    sens = serializers.ChoiceField(choices=SensDecision.choices, help_text=_("La décision."))
    rang_liste_attente = serializers.IntegerField(
        allow_null=True,
        help_text=_("Le rang sur la liste d'attente, fixé à la publication (sinon null)."),
    )
    promue_le = serializers.DateTimeField(
        allow_null=True, help_text=_("Retenue depuis la liste d'attente à cette date.")
    )
    publiee_le = serializers.DateTimeField(
        source="deliberation.publiee_le",
        allow_null=True,
        help_text=_("Publication des résultats (null : décision enregistrée, pas publiée)."),
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "candidature",
            "reference",
            "structure",
            "sens",
            "rang_liste_attente",
            "motif",
            "promue_le",
            "publiee_le",
        ]
