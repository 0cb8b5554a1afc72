"""Les champs que l'évaluation offre aux modèles d'un programme (lettre de décision, courriel de
la décision) et la lettre déclarée aux documents qu'un programme réécrit.

Chaque valeur est mise en forme ici, en texte : un modèle ne reçoit jamais d'objet."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidatures.enums import EtatCandidature
from candidatures.textes import CHAMPS_CANDIDATURE, date_et_heure
from evaluation.enums import SensDecision
from evaluation.models import Decision, MembreJury
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


def _suivante(contexte):
    suivante = contexte["suivante"]
    return suivante.candidature.structure.nom if suivante else ""


CHAMPS_RETRAIT = CHAMPS_CANDIDATURE + (
    Champ("motif", _("Motif du retrait"), lambda c: c["motif"]),
    Champ(
        "suivante",
        _("Structure suivante sur la liste d'attente (vide si la liste est vide)"),
        _suivante,
    ),
    Champ(
        "rang_suivante",
        _("Rang de la structure suivante sur la liste d'attente (vide sinon)"),
        lambda c: c["suivante"].rang_liste_attente if c["suivante"] else "",
    ),
    Champ("lien", _("Adresse de la liste d'attente de l'appel"), lambda c: c["lien"]),
)


def exemple_de_retrait(id_programme):
    """Le contexte de la dernière candidature retirée du programme (sinon de la dernière
    retenue), pour l'aperçu ; la suivante est la première de la liste d'attente de l'appel."""
    decisions = Decision.objects.filter(
        candidature__appel__programme_id=id_programme
    ).select_related("candidature__structure", "candidature__appel__programme")
    decision = (
        decisions.filter(candidature__etat=EtatCandidature.RETIREE).order_by("-pk").first()
        or decisions.filter(sens=SensDecision.RETENUE).order_by("-pk").first()
    )
    if decision is None:
        return None
    candidature = decision.candidature
    suivante = (
        decisions.filter(
            candidature__appel_id=candidature.appel_id, sens=SensDecision.LISTE_ATTENTE
        )
        .order_by("rang_liste_attente", "pk")
        .first()
    )
    return {
        "candidature": candidature,
        "motif": decision.motif,
        "suivante": suivante,
        "lien": settings.SITE_URL
        + reverse("evaluation:gestion_liste_attente", args=[candidature.appel_id]),
    }


CHAMPS_JURY = (
    Champ("appel", _("Titre de l'appel"), lambda c: c["appel"].titre),
    Champ("programme", _("Nom du programme"), lambda c: c["appel"].programme.nom),
    Champ(
        "date_limite",
        _("Date et heure limites de notation (vide s'il n'y en a pas)"),
        lambda c: date_et_heure(c["jury"].date_limite_notation),
    ),
    Champ(
        "nombre_affectations",
        _("Nombre de candidatures confiées à ce membre du jury (un nombre)"),
        lambda c: c["nombre_affectations"],
    ),
    Champ(
        "nombre_a_valider",
        _("Nombre de candidatures dont les notes ne sont pas encore validées (un nombre)"),
        lambda c: c["nombre_a_valider"],
    ),
    Champ(
        "jours_restants",
        _("Nombre de jours avant la date limite de notation (un nombre : 3, 1)"),
        lambda c: c["jours_restants"],
    ),
    Champ(
        "lien",
        _("Adresse de l'espace jury"),
        lambda c: c["site_url"] + reverse("evaluation:jury_accueil"),
    ),
)


def membre_exemple(id_programme):
    """Le dernier membre du jury du programme qui a un compte, pour l'aperçu."""
    return (
        MembreJury.objects.filter(jury__appel__programme_id=id_programme, utilisateur__isnull=False)
        .select_related("utilisateur", "jury__appel__programme")
        .order_by("-pk")
        .first()
    )


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
