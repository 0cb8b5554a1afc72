"""Les documents PDF de la délibération (WeasyPrint) : la lettre de décision envoyée à chaque
structure et le procès-verbal de la séance."""

from django.db.models import Avg
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from evaluation.models import Critere, Note
from evaluation.selectors import note_comptee
from evaluation.textes import LETTRE_DECISION
from messagerie.modeles import texte_du_document


def nom_lettre(candidature):
    return f"decision-{candidature.reference}.pdf"


def notes_de_la_structure(candidature):
    """Par critère : (critère, moyenne des notes qui comptent au classement) ; deux
    requêtes."""
    moyennes = dict(
        Note.objects.filter(
            note_comptee(
                etat="evaluation__etat",
                membre="evaluation__affectation__membre",
                candidature="evaluation__affectation__candidature",
            ),
            evaluation__affectation__candidature=candidature,
        )
        .values("critere_id")
        .annotate(moyenne=Avg("valeur"))
        .values_list("critere_id", "moyenne")
    )
    return [
        (critere, moyennes.get(critere.pk))
        for critere in Critere.objects.filter(grille__appel_id=candidature.appel_id)
    ]


def lettre_decision_pdf(candidature, decision, *, ligne=None, jury=None, motif_promotion=""):
    """La lettre de la décision ; avec `motif_promotion`, celle qui retient une candidature
    de la liste d'attente après un désistement."""
    montrer_notes = jury is not None and jury.notes_dans_la_lettre
    contexte = {
        "candidature": candidature,
        "decision": decision,
        "motif_promotion": motif_promotion,
        "ligne": ligne if montrer_notes else None,
        "notes": notes_de_la_structure(candidature) if montrer_notes else None,
        "edite_le": timezone.now(),
    }
    # Le texte écrit par le programme, s'il en a un, entre l'en-tête et les voies de recours.
    contexte["texte_du_programme"] = texte_du_document(
        LETTRE_DECISION.code, id_programme=candidature.appel.programme_id, contexte=contexte
    )
    html = render_to_string("evaluation/pdf/lettre_decision.html", contexte)
    return HTML(string=html).write_pdf()


def nom_proces_verbal(appel):
    return f"proces-verbal-{appel.slug}.pdf"


def proces_verbal_pdf(appel, deliberation, lignes, decisions, recuses):
    recusations_en_seance = {}
    for recusation in deliberation.recusations.select_related("membre__utilisateur"):
        recusations_en_seance.setdefault(recusation.candidature_id, []).append(recusation)
    html = render_to_string(
        "evaluation/pdf/proces_verbal.html",
        {
            "recusations_en_seance": recusations_en_seance,
            "appel": appel,
            "deliberation": deliberation,
            "presents": list(deliberation.membres_presents.select_related("utilisateur")),
            "lignes": lignes,
            "decisions": decisions,
            "recuses": recuses,
            "edite_le": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()
