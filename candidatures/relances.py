"""Les relances de l'appel, branchées sur le moteur de `relances`."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from candidatures.enums import EtatAppel, EtatCandidature
from candidatures.models import Appel, Candidature
from journal.models import Evenement
from relances.registre import TypeRelance, enregistrer


def _localdate(moment):
    from django.utils import timezone

    return timezone.localdate(moment) if moment else None


def _brouillons_avant_date_limite(maintenant, fenetre):
    return (
        Candidature.objects.filter(
            fenetre.filtre_moment("appel__date_limite"),
            etat=EtatCandidature.BROUILLON,
            appel__etat=EtatAppel.OUVERT,
            appel__date_limite__gt=maintenant,
        )
        .select_related("appel__programme", "structure")
        .prefetch_related("structure__membres")
        .order_by("pk")
    )


def _membres_de_la_structure(candidature):
    return [membre for membre in candidature.structure.membres.all() if membre.is_active]


BROUILLON_AVANT_DATE_LIMITE = enregistrer(
    TypeRelance(
        code="brouillon_date_limite",
        libelle=_("Candidature en brouillon avant la date limite"),
        gabarit="relances/brouillon_date_limite",
        objets=_brouillons_avant_date_limite,
        date_reference=lambda candidature: _localdate(candidature.appel.date_limite),
        destinataires=_membres_de_la_structure,
        decalages=(-7, -1),
        essentielle=True,
        raison_essentielle=_(
            "Elle rappelle la date limite de votre propre candidature : sans dépôt avant "
            "cette date, la candidature ne pourra pas être étudiée."
        ),
        contexte=lambda candidature: {
            "candidature": candidature,
            "appel": candidature.appel,
        },
        portees=lambda candidature: [candidature.appel, candidature.appel.programme],
        portees_modeles=("candidatures.appel", "candidatures.programme"),
    )
)


def _complements_en_attente(maintenant, fenetre):
    demandee_le = Subquery(
        Evenement.objects.filter(
            cible_type=ContentType.objects.get_for_model(Candidature),
            cible_id=OuterRef("pk"),
            vers=EtatCandidature.A_COMPLETER,
        )
        .order_by("-survenu_le")
        .values("survenu_le")[:1]
    )
    return (
        Candidature.objects.filter(etat=EtatCandidature.A_COMPLETER)
        .annotate(complement_demande_le=demandee_le)
        .filter(fenetre.filtre_moment("complement_demande_le"))
        .select_related("appel__programme", "structure")
        .prefetch_related("structure__membres")
        .order_by("pk")
    )


COMPLEMENT_SANS_REPONSE = enregistrer(
    TypeRelance(
        code="complement_sans_reponse",
        libelle=_("Demande de complément restée sans réponse"),
        gabarit="relances/complement_sans_reponse",
        objets=_complements_en_attente,
        date_reference=lambda candidature: _localdate(candidature.complement_demande_le),
        destinataires=_membres_de_la_structure,
        decalages=(7,),
        repetition_jours=7,
        # Une relance manquée (panne) part encore jusqu'à la veille de la suivante.
        rattrapage_jours=6,
        contexte=lambda candidature: {
            "candidature": candidature,
            "appel": candidature.appel,
        },
        portees=lambda candidature: [candidature.appel, candidature.appel.programme],
        portees_modeles=("candidatures.appel", "candidatures.programme"),
    )
)


def _appels_clos_recemment(maintenant, fenetre):
    return (
        Appel.objects.filter(fenetre.filtre_moment("clos_le"), clos_le__lte=maintenant)
        .exclude(etat__in=[EtatAppel.BROUILLON, EtatAppel.OUVERT])
        .select_related("programme")
        .prefetch_related("programme__gestionnaires")
        .annotate(
            a_instruire=Count("candidatures", filter=Q(candidatures__etat=EtatCandidature.DEPOSEE))
        )
        .order_by("pk")
    )


CANDIDATURES_A_INSTRUIRE = enregistrer(
    TypeRelance(
        code="candidatures_a_instruire",
        libelle=_("Candidatures à instruire après la clôture d'un appel"),
        gabarit="relances/candidatures_a_instruire",
        objets=_appels_clos_recemment,
        date_reference=lambda appel: _localdate(appel.clos_le),
        destinataires=lambda appel: [g for g in appel.programme.gestionnaires.all() if g.is_active],
        decalages=(1,),
        contexte=lambda appel: {"appel": appel, "a_instruire": appel.a_instruire},
        portees=lambda appel: [appel, appel.programme],
        portees_modeles=("candidatures.appel", "candidatures.programme"),
    )
)
