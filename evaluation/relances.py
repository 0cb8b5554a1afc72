"""Les relances du jury, branchées sur le moteur de `relances` : l'avis d'affectation, puis
J-3 et J-1 avant la date limite de notation pour qui a encore des notes à valider."""

from django.db.models import Exists, Min, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy

from evaluation.enums import EtatEvaluation
from evaluation.models import Affectation, ConflitInterets, MembreJury
from messagerie.catalogue import Categorie, Courriel, Echeance, declarer
from programmes.enums import EtatAppel


def _localdate(moment):
    return timezone.localdate(moment) if moment else None


def _membres_en_evaluation(maintenant):
    return (
        MembreJury.objects.filter(
            utilisateur__isnull=False,
            utilisateur__is_active=True,
            jury__appel__etat=EtatAppel.EN_EVALUATION,
            jury__date_limite_notation__gt=maintenant,
        )
        .select_related("utilisateur", "jury__appel__programme")
        .order_by("pk")
    )


def _affectations_a_valider(membre_ref):
    conflit = ConflitInterets.objects.filter(
        membre_id=OuterRef("membre_id"), candidature_id=OuterRef("candidature_id"), en_conflit=True
    )
    return (
        Affectation.objects.filter(membre_id=membre_ref)
        .exclude(evaluation__etat=EtatEvaluation.VALIDEE)
        .exclude(Exists(conflit))
    )


def _membres_affectes(maintenant, fenetre):
    return (
        _membres_en_evaluation(maintenant)
        .annotate(premiere_affectation_le=Min("affectations__creee_le"))
        .filter(premiere_affectation_le__isnull=False)
        .filter(fenetre.filtre_moment("premiere_affectation_le"))
    )


def _contexte(membre):
    return {
        "membre": membre,
        "jury": membre.jury,
        "appel": membre.jury.appel,
        "nombre_affectations": membre.affectations.count(),
        "nombre_a_valider": _affectations_a_valider(membre.pk).count(),
    }


AFFECTATION_JURY = declarer(
    Courriel(
        code="jury_affectation",
        libelle=gettext_lazy("Candidatures confiées au jury (avis d'affectation)"),
        declencheur=Echeance(
            objets=_membres_affectes,
            date_reference=lambda membre: _localdate(membre.premiere_affectation_le),
            decalages=(0,),
            # Un avis manqué (panne) part encore tant que la notation dure, un mois au plus.
            rattrapage_jours=30,
            portees=lambda membre: [membre.jury.appel, membre.jury.appel.programme],
            portees_modeles=("programmes.appel", "programmes.programme"),
        ),
        categorie=Categorie.JURY,
        destinataires=lambda membre: [membre.utilisateur],
        gabarit="relances/jury_affectation",
        essentiel=True,
        raison_essentielle=gettext_lazy(
            "Elle vous dit quelles candidatures vous sont confiées et jusqu'à quand les noter."
        ),
        contexte=_contexte,
    )
)


def _membres_avec_notes_a_valider(maintenant, fenetre):
    return (
        _membres_en_evaluation(maintenant)
        .filter(fenetre.filtre_moment("jury__date_limite_notation"))
        .filter(Exists(_affectations_a_valider(OuterRef("pk"))))
    )


DATE_LIMITE_NOTATION = declarer(
    Courriel(
        code="jury_date_limite_notation",
        libelle=gettext_lazy("Notes du jury à valider avant la date limite"),
        declencheur=Echeance(
            objets=_membres_avec_notes_a_valider,
            date_reference=lambda membre: _localdate(membre.jury.date_limite_notation),
            decalages=(-3, -1),
            portees=lambda membre: [membre.jury.appel, membre.jury.appel.programme],
            portees_modeles=("programmes.appel", "programmes.programme"),
        ),
        categorie=Categorie.JURY,
        destinataires=lambda membre: [membre.utilisateur],
        gabarit="relances/jury_date_limite_notation",
        contexte=_contexte,
    )
)
