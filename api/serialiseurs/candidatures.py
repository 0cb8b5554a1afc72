"""Les candidatures telles que l'API les donne : ce que la page de la candidature montre au
gestionnaire du programme, ou à la structure candidate, sans plus.

Jamais d'étiquettes ni de notes privées de l'équipe, ni la note d'un membre du jury (seulement
les agrégats du classement, au gestionnaire), ni le contenu d'un fichier (ses métadonnées et
l'adresse de la page qui le sert à qui a le droit de le lire)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature, FichierVersion, PieceJointe
from candidatures.selectors import reponses_lisibles
from evaluation.enums import SensDecision
from evaluation.models import Decision
from programmes.enums import TypeQuestion
from programmes.models import Appel
from structures.models import Structure
from territoires.enums import ResultatEligibilite, TypeStructure


def adresse_absolue(serialiseur, chemin):
    requete = serialiseur.context.get("request")
    return requete.build_absolute_uri(chemin) if requete else chemin


def lit_en_gestionnaire(serialiseur, candidature):
    """La requête lit-elle cette candidature en gestionnaire de son programme ?"""
    return candidature.appel.programme_id in serialiseur.context.get("programmes_geres", ())


class AppelDeLaCandidature(serializers.ModelSerializer):
    class Meta:
        model = Appel
        fields = ["id", "titre", "slug"]


class CommuneDeLaStructure(serializers.Serializer):
    code_insee = serializers.CharField(help_text=_("Code INSEE de la commune."))
    nom = serializers.CharField()


class StructureCandidate(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=TypeStructure.choices, help_text=_("Type de structure."))
    commune = CommuneDeLaStructure(read_only=True)

    class Meta:
        model = Structure
        fields = ["id", "nom", "siret", "type", "commune"]


class AgregatsEvaluation(serializers.Serializer):
    nombre_notes = serializers.IntegerField(
        help_text=_(
            "Nombre d'évaluations qui comptent : validées, d'un membre du jury sans conflit "
            "d'intérêts déclaré avec la candidature."
        )
    )
    moyenne = serializers.FloatField(
        allow_null=True,
        help_text=_("Moyenne des totaux sur 20, au centième, comme le classement (null : aucune)."),
    )
    mediane = serializers.FloatField(
        allow_null=True, help_text=_("Médiane des totaux sur 20, au centième (null : aucune).")
    )


class DecisionDuJury(serializers.ModelSerializer):
    sens = serializers.ChoiceField(
        choices=SensDecision.choices, help_text=_("La décision de la délibération.")
    )
    rang_liste_attente = serializers.IntegerField(
        allow_null=True,
        help_text=_("Le rang sur la liste d'attente, fixé à la publication (sinon null)."),
    )
    motif = serializers.CharField(
        help_text=_("Le motif de la décision, tel que la lettre de décision le donne.")
    )
    promue_le = serializers.DateTimeField(
        allow_null=True, help_text=_("Retenue depuis la liste d'attente à cette date.")
    )
    publiee_le = serializers.DateTimeField(
        source="deliberation.publiee_le",
        allow_null=True,
        help_text=_(
            "Publication des résultats (null : pas encore publiés ; seul le gestionnaire "
            "voit alors la décision)."
        ),
    )
    lettre = serializers.SerializerMethodField(
        help_text=_(
            "La page qui sert la lettre de décision (PDF) à qui est connecté à Relais et peut "
            "lire la candidature ; null sans lettre."
        )
    )

    class Meta:
        model = Decision
        fields = ["sens", "rang_liste_attente", "motif", "promue_le", "publiee_le", "lettre"]

    def get_lettre(self, decision) -> str | None:
        if not decision.lettre:
            return None
        chemin = reverse("evaluation:lettre_decision", args=[decision.candidature_id])
        return adresse_absolue(self, chemin)


class CandidatureEnListe(serializers.ModelSerializer):
    """Une ligne de la liste : sans réponses ni pièces (voir le détail)."""

    reference = serializers.CharField(
        read_only=True,
        help_text=_("La référence que la structure lit sur son récépissé (REL-000024)."),
    )
    appel = AppelDeLaCandidature(read_only=True)
    structure = StructureCandidate(read_only=True)
    etat = serializers.ChoiceField(choices=EtatCandidature.choices, read_only=True)
    resultat_eligibilite = serializers.ChoiceField(
        choices=[("", "")] + ResultatEligibilite.choices,
        read_only=True,
        help_text=_(
            "L'éligibilité retenue : celle calculée au dépôt, ou celle qu'un gestionnaire a "
            "forcée (vide : pas encore déposée)."
        ),
    )
    demande_complement = serializers.CharField(
        read_only=True, help_text=_("Le message de la demande de complément à la structure.")
    )
    motif_irrecevabilite = serializers.CharField(
        read_only=True, help_text=_("Le motif d'irrecevabilité écrit à la structure.")
    )
    motif_retrait = serializers.CharField(
        read_only=True, help_text=_("Le motif donné au retrait de la candidature.")
    )
    evaluation = serializers.SerializerMethodField(
        help_text=_(
            "Les agrégats des notes du jury, comme le classement les montre au gestionnaire "
            "(jamais la note d'un membre) ; null pour une structure candidate."
        )
    )
    decision = serializers.SerializerMethodField(
        help_text=_(
            "La décision de la délibération : pour le gestionnaire dès qu'elle est "
            "enregistrée, pour la structure une fois les résultats publiés ; sinon null."
        )
    )

    class Meta:
        model = Candidature
        fields = [
            "id",
            "reference",
            "appel",
            "structure",
            "etat",
            "creee_le",
            "premier_depot_le",
            "deposee_le",
            "recevabilite_decidee_le",
            "decidee_le",
            "retiree_le",
            "modifiee_le",
            "resultat_eligibilite",
            "demande_complement",
            "motif_irrecevabilite",
            "motif_retrait",
            "evaluation",
            "decision",
        ]
        extra_kwargs = {
            "creee_le": {"help_text": _("Commencée le.")},
            "premier_depot_le": {"help_text": _("Premier dépôt le (null : jamais déposée).")},
            "deposee_le": {"help_text": _("Dernier dépôt le (null : jamais déposée).")},
            "recevabilite_decidee_le": {"help_text": _("Déclarée recevable ou irrecevable le.")},
            "decidee_le": {"help_text": _("Décision du jury appliquée le (publication).")},
            "retiree_le": {"help_text": _("Retirée le.")},
            "modifiee_le": {"help_text": _("Dernière modification, quelle qu'elle soit.")},
        }

    @extend_schema_field(AgregatsEvaluation(allow_null=True))
    def get_evaluation(self, candidature):
        if not lit_en_gestionnaire(self, candidature):
            return None
        return {
            "nombre_notes": candidature.nombre_notes,
            "moyenne": _au_centieme(candidature.moyenne),
            "mediane": _au_centieme(candidature.mediane),
        }

    @extend_schema_field(DecisionDuJury(allow_null=True))
    def get_decision(self, candidature):
        decision = getattr(candidature, "decision_jury", None)
        if decision is None:
            return None
        if not lit_en_gestionnaire(self, candidature) and not decision.deliberation.est_publiee:
            return None
        return DecisionDuJury(decision, context=self.context).data


def _au_centieme(valeur):
    return None if valeur is None else round(valeur, 2)


class Reponse(serializers.Serializer):
    question_id = serializers.IntegerField()
    numero = serializers.IntegerField(help_text=_("Le numéro de la question dans le formulaire."))
    libelle = serializers.CharField()
    type = serializers.ChoiceField(choices=TypeQuestion.choices)
    valeur = serializers.JSONField(
        allow_null=True,
        help_text=_(
            "La réponse enregistrée : texte, nombre, date AAAA-MM-JJ, « oui »/« non », liste "
            "de choix ; null sans réponse et pour une question « fichier » (voir « piece »)."
        ),
    )
    piece = serializers.IntegerField(
        allow_null=True,
        help_text=_("Pour une question « fichier » : l'identifiant de la pièce dans « pieces »."),
    )


class Piece(serializers.ModelSerializer):
    piece_demandee = serializers.CharField(
        source="piece_demandee.libelle",
        allow_null=True,
        help_text=_("L'intitulé de la pièce demandée (null : fichier répondant à une question)."),
    )
    question_id = serializers.IntegerField(
        allow_null=True, help_text=_("La question « fichier » à laquelle il répond, sinon null.")
    )
    nom = serializers.CharField(source="nom_original", help_text=_("Le nom du fichier déposé."))
    taille = serializers.IntegerField(help_text=_("Taille en octets."))
    sha256 = serializers.SerializerMethodField(
        help_text=_(
            "L'empreinte SHA-256 du fichier, calculée quand un dépôt l'a figé dans une version "
            "(null pour un fichier joint depuis le dernier dépôt)."
        )
    )
    telechargement = serializers.SerializerMethodField(
        help_text=_(
            "La page qui sert le fichier à qui est connecté à Relais et peut lire la "
            "candidature (le jeton ne télécharge pas)."
        )
    )

    class Meta:
        model = PieceJointe
        fields = [
            "id",
            "piece_demandee",
            "question_id",
            "nom",
            "taille",
            "type_mime",
            "ajoutee_le",
            "sha256",
            "telechargement",
        ]

    def get_sha256(self, piece) -> str | None:
        return self.context.get("empreintes", {}).get(piece.fichier.name)

    def get_telechargement(self, piece) -> str:
        chemin = reverse("candidatures:piece_jointe", args=[piece.candidature_id, piece.pk])
        return adresse_absolue(self, chemin)


class CandidatureDetaillee(CandidatureEnListe):
    eligibilite = serializers.JSONField(
        read_only=True,
        help_text=_(
            "La réponse d'éligibilité figée au dépôt (mêmes clés que /api/v1/eligibilite/), "
            "jamais réécrite ensuite ; vide avant le premier dépôt."
        ),
    )
    reponses = serializers.SerializerMethodField(
        help_text=_(
            "Les réponses, dans l'ordre du formulaire, aux seules questions affichées : une "
            "question masquée par sa condition n'y figure pas."
        )
    )
    pieces = serializers.SerializerMethodField(
        help_text=_(
            "Les fichiers joints (pièces demandées et questions « fichier » affichées) : leurs "
            "métadonnées, jamais leur contenu."
        )
    )

    class Meta(CandidatureEnListe.Meta):
        fields = [*CandidatureEnListe.Meta.fields, "eligibilite", "reponses", "pieces"]

    def _lignes(self, candidature):
        # Lues une fois pour les réponses et les pièces (les questions « fichier » affichées).
        if getattr(candidature, "_lignes_api", None) is None:
            candidature._lignes_api = reponses_lisibles(candidature)
        return candidature._lignes_api

    @extend_schema_field(Reponse(many=True))
    def get_reponses(self, candidature):
        return [
            {
                "question_id": ligne.question.pk,
                "numero": ligne.numero,
                "libelle": ligne.question.libelle,
                "type": ligne.question.type,
                "valeur": (
                    None
                    if ligne.question.type == TypeQuestion.FICHIER
                    else candidature.reponses.get(str(ligne.question.pk))
                ),
                "piece": ligne.piece.pk if ligne.piece else None,
            }
            for ligne in self._lignes(candidature)
        ]

    @extend_schema_field(Piece(many=True))
    def get_pieces(self, candidature):
        affichees = {
            ligne.question.pk
            for ligne in self._lignes(candidature)
            if ligne.question.type == TypeQuestion.FICHIER
        }
        pieces = [
            piece
            for piece in candidature.pieces_jointes.all()
            if piece.piece_demandee_id or piece.question_id in affichees
        ]
        # Une version déposée désigne le même fichier stocké que la pièce d'alors : son
        # empreinte vaut pour la pièce tant qu'elle n'a pas été remplacée.
        empreintes = dict(
            FichierVersion.objects.filter(version__candidature=candidature)
            .exclude(sha256="")
            .values_list("fichier", "sha256")
        )
        return Piece(pieces, many=True, context={**self.context, "empreintes": empreintes}).data
