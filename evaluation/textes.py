"""Les champs que l'évaluation offre aux modèles d'un programme (lettre de décision, courriel de
la décision) et la lettre déclarée aux documents qu'un programme réécrit.

Chaque valeur est mise en forme ici, en texte : un modèle ne reçoit jamais d'objet."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluation.enums import SensDecision
from evaluation.models import Decision
from messagerie.catalogue import Champ
from messagerie.documents import Document, declarer_document


def _decision_en_toutes_lettres(contexte):
    decision = contexte["decision"]
    if contexte.get("motif_promotion") or decision.sens == SensDecision.RETENUE:
        return gettext("candidature retenue")
    if decision.sens == SensDecision.LISTE_ATTENTE:
        if decision.rang_liste_attente:
            return gettext("candidature placée sur liste d'attente (rang %(rang)s)") % {
                "rang": decision.rang_liste_attente
            }
        return gettext("candidature placée sur liste d'attente")
    return gettext("candidature non retenue")


def _sens(contexte):
    if contexte.get("motif_promotion"):
        return SensDecision.RETENUE.value
    return contexte["decision"].sens


CHAMPS_CANDIDATURE = (
    Champ(
        "structure", _("Nom de la structure candidate"), lambda c: c["candidature"].structure.nom
    ),
    Champ("reference", _("Référence de la candidature"), lambda c: c["candidature"].reference),
    Champ("appel", _("Titre de l'appel"), lambda c: c["candidature"].appel.titre),
    Champ("programme", _("Nom du programme"), lambda c: c["candidature"].appel.programme.nom),
)

CHAMPS_DECISION = (
    Champ(
        "decision",
        _("La décision en toutes lettres (« candidature retenue »)"),
        _decision_en_toutes_lettres,
    ),
    Champ(
        "sens",
        _("La décision en un mot, pour les conditions : retenue, liste_attente ou non_retenue"),
        _sens,
    ),
    Champ(
        "rang_liste_attente",
        _("Rang sur la liste d'attente (vide sinon)"),
        lambda c: c["decision"].rang_liste_attente,
    ),
    Champ(
        "motif",
        _("Motif de la décision, ou de la promotion depuis la liste d'attente (peut être vide)"),
        lambda c: c.get("motif_promotion") or c["decision"].motif,
    ),
)

CHAMPS_LETTRE = CHAMPS_CANDIDATURE + CHAMPS_DECISION

CHAMP_LIEN = Champ("lien", _("Adresse de la page de la candidature"), lambda c: c["lien"])


def exemple_de_decision(id_programme):
    """Le contexte de la dernière décision du programme, pour l'aperçu ; None sans décision."""
    decision = (
        Decision.objects.filter(candidature__appel__programme_id=id_programme)
        .select_related("candidature__structure", "candidature__appel__programme")
        .order_by("-pk")
        .first()
    )
    if decision is None:
        return None
    return {
        "candidature": decision.candidature,
        "decision": decision,
        "motif": decision.motif,
        "lien": settings.SITE_URL
        + reverse("candidatures:candidature", args=[decision.candidature_id]),
    }


LETTRE_DECISION = declarer_document(
    Document(
        code="lettre_decision",
        libelle=_("Lettre de décision du jury"),
        champs=CHAMPS_LETTRE,
        texte=_(
            "Madame, Monsieur,\n\n"
            "Le jury de sélection a examiné votre candidature. Sa décision : {{ decision }}."
            "{% if motif %}\n\nMotif : {{ motif }}{% endif %}"
        ),
        exemple=exemple_de_decision,
    )
)
