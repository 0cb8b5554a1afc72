"""Les courriels du jury, déclarés au catalogue (`messagerie.catalogue`) : la lettre de décision
(PDF joint) et la promotion depuis la liste d'attente, à chaque personne de la structure, et le
retrait d'un lauréat aux gestionnaires ; envoyés au commit."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidatures.textes import CHAMP_LIEN, CHAMPS_CANDIDATURE
from evaluation import lettres
from evaluation.textes import (
    CHAMPS_LETTRE,
    CHAMPS_RETRAIT,
    exemple_de_decision,
    exemple_de_retrait,
)
from messagerie.catalogue import Categorie, Champ, Courriel, Evenement, TexteDuProgramme, declarer
from messagerie.services import preparer_courriel

DECISION_JURY = declarer(
    Courriel(
        code="decision_jury",
        libelle=_("Décision du jury"),
        declencheur=Evenement("résultats publiés : une lettre par candidature"),
        categorie=Categorie.JURY,
        destinataires="les comptes actifs de la structure (Structure.membres_actifs)",
        gabarit="decision_jury",
        essentiel=True,
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_LETTRE + (CHAMP_LIEN,),
            sujet=_("[Relais] Décision du jury : {{ appel }}"),
            corps=_(
                "Bonjour,\n\n"
                "Le jury de l'appel « {{ appel }} » a délibéré sur la candidature de "
                "{{ structure }}.\n\n"
                "Décision : {{ decision }}.\n"
                "{% if motif %}\nMotif : {{ motif }}\n{% endif %}\n"
                "La lettre de décision est jointe à ce message.\n\n"
                "Suivre la candidature :\n{{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_decision,
        ),
    )
)
PROMOTION_LISTE_ATTENTE = declarer(
    Courriel(
        code="promotion_liste_attente",
        libelle=_("Candidature retenue depuis la liste d'attente"),
        declencheur=Evenement("candidature promue depuis la liste d'attente"),
        categorie=Categorie.JURY,
        destinataires="les comptes actifs de la structure (Structure.membres_actifs)",
        gabarit="promotion_liste_attente",
        essentiel=True,
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_CANDIDATURE
            + (
                CHAMP_LIEN,
                Champ("motif", _("Motif de la promotion"), lambda c: c["motif"]),
            ),
            sujet=_("[Relais] Votre candidature est retenue : {{ appel }}"),
            corps=_(
                "Bonjour,\n\n"
                "Une place s'est libérée dans l'appel « {{ appel }} » : la candidature de "
                "{{ structure }}, qui était en tête de la liste d'attente, est désormais "
                "retenue.\n\n"
                "Motif : {{ motif }}\n\n"
                "L'équipe du programme vous contactera pour démarrer l'accompagnement.\n\n"
                "Suivre la candidature :\n{{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_decision,
        ),
    )
)
# Les gestionnaires retrouvent le retrait et la liste d'attente dans la gestion de l'appel :
# ce courriel les prévient, ils peuvent le refuser.
LAUREAT_RETIRE = declarer(
    Courriel(
        code="laureat_retire",
        libelle=_("Retrait d'un lauréat"),
        declencheur=Evenement("un lauréat est retiré"),
        categorie=Categorie.JURY,
        destinataires="les gestionnaires actifs du programme",
        gabarit="laureat_retire",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_RETRAIT,
            sujet=_("[Relais] Une candidature retenue est retirée : {{ structure }}"),
            corps=_(
                "Bonjour,\n\n"
                "La candidature retenue de {{ structure }} à l'appel « {{ appel }} » est retirée. "
                "Son plan d'accompagnement est abandonné et sa place est libre.\n\n"
                "Motif : {{ motif }}\n\n"
                "{% if suivante %}Suivante sur la liste d'attente : {{ suivante }} (rang "
                "{{ rang_suivante }}). Vous pouvez la retenir depuis la liste d'attente :"
                "{% else %}La liste d'attente est vide. Liste d'attente et places de l'appel :"
                "{% endif %}\n{{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_retrait,
            destinataires=_("les gestionnaires du programme"),
        ),
    )
)


def _a_la_structure(candidature, entree, *, contexte, pieces_jointes=(), cle=None):
    lien = settings.SITE_URL + reverse("candidatures:candidature", args=[candidature.pk])
    for membre in candidature.structure.membres_actifs():
        preparer_courriel(
            entree,
            destinataire=membre.email,
            utilisateur=membre,
            objet=candidature,
            contexte={"candidature": candidature, "lien": lien, **contexte},
            pieces_jointes=pieces_jointes,
            cle=f"{cle}:{membre.pk}" if cle else None,
        )


def decision_publiee(candidature, decision, *, pdf):
    """`pdf` : la lettre gardée sur la décision, jointe telle quelle."""
    _a_la_structure(
        candidature,
        DECISION_JURY,
        contexte={"decision": decision},
        pieces_jointes=[(lettres.nom_lettre(candidature), pdf, "application/pdf")],
        cle=f"decision_jury:{candidature.pk}",
    )


def promotion_liste_attente(candidature, *, motif, pdf):
    """`pdf` : la nouvelle lettre de décision gardée sur la décision, jointe telle quelle."""
    _a_la_structure(
        candidature,
        PROMOTION_LISTE_ATTENTE,
        contexte={"motif": motif},
        pieces_jointes=[(lettres.nom_lettre(candidature), pdf, "application/pdf")],
        cle=f"promotion_liste_attente:{candidature.pk}",
    )


def laureat_retire(candidature, *, motif, suivante):
    """Aux gestionnaires du programme : un lauréat est retiré, voici la suivante de la liste
    d'attente (ou aucune) et la page pour la retenir."""
    adresse = reverse("evaluation:gestion_liste_attente", args=[candidature.appel_id])
    lien = settings.SITE_URL + adresse
    gestionnaires = candidature.appel.programme.gestionnaires.filter(is_active=True)
    for gestionnaire in gestionnaires.order_by("email"):
        preparer_courriel(
            LAUREAT_RETIRE,
            destinataire=gestionnaire.email,
            utilisateur=gestionnaire,
            objet=candidature,
            contexte={
                "candidature": candidature,
                "motif": motif,
                "suivante": suivante,
                "lien": lien,
            },
            cle=f"laureat_retire:{candidature.pk}:{gestionnaire.pk}",
        )
