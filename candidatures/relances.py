"""Les relances de l'appel, branchées sur le moteur de `relances`."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from candidatures.textes import (
    CHAMPS_APPEL_CLOS,
    CHAMPS_BROUILLON,
    CHAMPS_COMPLEMENT_SANS_REPONSE,
    exemple_d_appel_clos,
    exemple_dans_l_etat,
)
from journal.models import Evenement
from messagerie.catalogue import Categorie, Courriel, Echeance, TexteDuProgramme, declarer
from programmes.enums import EtatAppel
from programmes.models import Appel


def _localdate(moment):
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
    return candidature.structure.membres_actifs()


BROUILLON_AVANT_DATE_LIMITE = declarer(
    Courriel(
        code="brouillon_date_limite",
        libelle=_("Candidature en brouillon avant la date limite"),
        declencheur=Echeance(
            objets=_brouillons_avant_date_limite,
            date_reference=lambda candidature: _localdate(candidature.appel.date_limite),
            decalages=(-7, -1),
            portees=lambda candidature: [candidature.appel, candidature.appel.programme],
            portees_modeles=("programmes.appel", "programmes.programme"),
        ),
        categorie=Categorie.CANDIDATURE,
        destinataires=_membres_de_la_structure,
        gabarit="relances/brouillon_date_limite",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_BROUILLON,
            sujet=_(
                "{% if jours_restants <= 1 %}[Relais] Dernier jour pour déposer votre candidature "
                "« {{ appel }} »{% else %}[Relais] Plus que {{ jours_restants }} jours pour "
                "déposer votre candidature « {{ appel }} »{% endif %}"
            ),
            corps=_(
                "Bonjour,\n\n"
                "La candidature de {{ structure }} à l'appel « {{ appel }} » est encore en "
                "brouillon.\n"
                "La date limite de dépôt est le {{ date_limite }}.\n\n"
                "Complétez-la et déposez-la depuis votre espace : {{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_dans_l_etat(EtatCandidature.BROUILLON),
            pied="emails/relances/pied_relance.txt",
        ),
        essentiel=True,
        raison_essentielle=_(
            "Elle rappelle la date limite de votre propre candidature : sans dépôt avant "
            "cette date, la candidature ne pourra pas être étudiée."
        ),
        contexte=lambda candidature: {
            "candidature": candidature,
            "appel": candidature.appel,
        },
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


COMPLEMENT_SANS_REPONSE = declarer(
    Courriel(
        code="complement_sans_reponse",
        libelle=_("Demande de complément restée sans réponse"),
        declencheur=Echeance(
            objets=_complements_en_attente,
            date_reference=lambda candidature: _localdate(candidature.complement_demande_le),
            decalages=(7,),
            repetition_jours=7,
            # Une relance manquée (panne) part encore jusqu'à la veille de la suivante.
            rattrapage_jours=6,
            portees=lambda candidature: [candidature.appel, candidature.appel.programme],
            portees_modeles=("programmes.appel", "programmes.programme"),
        ),
        categorie=Categorie.CANDIDATURE,
        destinataires=_membres_de_la_structure,
        gabarit="relances/complement_sans_reponse",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_COMPLEMENT_SANS_REPONSE,
            sujet=_("[Relais] Votre candidature « {{ appel }} » attend toujours un complément"),
            corps=_(
                "Bonjour,\n\n"
                "Le gestionnaire de l'appel « {{ appel }} » a demandé un complément à la "
                "candidature de {{ structure }}, il y a {{ jours_de_retard }} jours. Tant "
                "qu'elle n'est pas redéposée, elle ne peut pas être instruite.\n\n"
                "Message du gestionnaire :\n{{ demande_complement }}\n\n"
                "Complétez et redéposez la candidature depuis votre espace : {{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_dans_l_etat(EtatCandidature.A_COMPLETER),
            pied="emails/relances/pied_relance.txt",
        ),
        contexte=lambda candidature: {
            "candidature": candidature,
            "appel": candidature.appel,
        },
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


CANDIDATURES_A_INSTRUIRE = declarer(
    Courriel(
        code="candidatures_a_instruire",
        libelle=_("Candidatures à instruire après la clôture d'un appel"),
        declencheur=Echeance(
            objets=_appels_clos_recemment,
            date_reference=lambda appel: _localdate(appel.clos_le),
            decalages=(1,),
            portees=lambda appel: [appel, appel.programme],
            portees_modeles=("programmes.appel", "programmes.programme"),
        ),
        categorie=Categorie.CANDIDATURE,
        destinataires=lambda appel: [g for g in appel.programme.gestionnaires.all() if g.is_active],
        gabarit="relances/candidatures_a_instruire",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_APPEL_CLOS,
            sujet=_(
                "[Relais] Appel « {{ appel }} » clos : {{ a_instruire }} "
                "{% if a_instruire > 1 %}candidatures{% else %}candidature{% endif %} à instruire"
            ),
            corps=_(
                "Bonjour,\n\n"
                "L'appel « {{ appel }} » est clos depuis le {{ date_cloture }}.\n"
                "{% if a_instruire > 1 %}{{ a_instruire }} candidatures déposées attendent"
                "{% else %}{{ a_instruire }} candidature déposée attend{% endif %} la "
                "vérification de recevabilité.\n\n"
                "Espace de gestion : {{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_d_appel_clos,
            pied="emails/relances/pied_relance.txt",
            destinataires=_("les gestionnaires du programme"),
        ),
        contexte=lambda appel: {"appel": appel, "a_instruire": appel.a_instruire},
    )
)
