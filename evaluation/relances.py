"""Les relances du jury, branchées sur le moteur de `relances` : l'avis d'affectation, puis
J-3 et J-1 avant la date limite de notation pour qui a encore des notes à valider."""

from django.conf import settings
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy

from evaluation.enums import EtatEvaluation
from evaluation.models import Affectation, ConflitInterets, MembreJury
from evaluation.textes import CHAMPS_JURY, membre_exemple
from messagerie.catalogue import Categorie, Courriel, Echeance, TexteDuProgramme, declarer
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


def _exemple(id_programme):
    """Le contexte du dernier membre du jury du programme, pour l'aperçu."""
    membre = membre_exemple(id_programme)
    if membre is None:
        return None
    limite = membre.jury.date_limite_notation
    jours = (_localdate(limite) - timezone.localdate()).days if limite else 3
    return {**_contexte(membre), "jours_restants": jours, "site_url": settings.SITE_URL}


PIED = "emails/relances/pied_relance.txt"

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
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_JURY,
            sujet=gettext_lazy(
                "[Relais] Jury « {{ appel }} » : {{ nombre_affectations }} "
                "{% if nombre_affectations > 1 %}candidatures{% else %}candidature{% endif %} "
                "à noter"
            ),
            corps=gettext_lazy(
                "Bonjour,\n\n"
                "Vous faites partie du jury de l'appel « {{ appel }} ». "
                "{% if nombre_affectations > 1 %}{{ nombre_affectations }} candidatures vous "
                "sont confiées.{% else %}{{ nombre_affectations }} candidature vous est confiée."
                "{% endif %}\n\n"
                "Pour chacune, déclarez d'abord si vous avez un conflit d'intérêts avec la "
                "structure ; vous pourrez ensuite la lire et la noter.\n"
                "{% if date_limite %}Date limite de notation : {{ date_limite }}.\n{% endif %}\n"
                "Votre espace jury : {{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=_exemple,
            pied=PIED,
        ),
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
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_JURY,
            sujet=gettext_lazy(
                "[Relais] {{ nombre_a_valider }} "
                "{% if nombre_a_valider > 1 %}notations{% else %}notation{% endif %} à valider "
                "avant le {{ date_limite }}"
            ),
            corps=gettext_lazy(
                "Bonjour,\n\n"
                "La notation du jury de l'appel « {{ appel }} » se termine le {{ date_limite }}, "
                "{% if jours_restants == 1 %}demain{% else %}dans {{ jours_restants }} jours"
                "{% endif %}.\n"
                "Il vous reste {{ nombre_a_valider }} "
                "{% if nombre_a_valider > 1 %}candidatures{% else %}candidature{% endif %} sur "
                "{{ nombre_affectations }} dont les notes ne sont pas validées.\n\n"
                "Votre espace jury : {{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=_exemple,
            pied=PIED,
        ),
        contexte=_contexte,
    )
)
