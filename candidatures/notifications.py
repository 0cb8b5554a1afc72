"""Les courriels des candidatures, déclarés au catalogue (`messagerie.catalogue`) : un message
par personne de la structure, rendu depuis `templates/emails/<gabarit>/`, gardé dans la boîte
d'envoi et envoyé au commit."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidatures import recepisse
from candidatures.enums import EtatCandidature
from candidatures.textes import (
    CHAMP_DATE_LIMITE,
    CHAMP_DEMANDE_COMPLEMENT,
    CHAMP_LIEN,
    CHAMP_MOTIF_IRRECEVABILITE,
    CHAMPS_CANDIDATURE,
    CHAMPS_DEPOT,
    exemple_dans_l_etat,
    exemple_de_candidature,
    exemple_de_depot,
)
from messagerie.catalogue import Categorie, Courriel, Evenement, TexteDuProgramme, declarer
from messagerie.services import preparer_courriel

MEMBRES_DE_LA_STRUCTURE = "les comptes actifs de la structure (Structure.membres_actifs)"


def _a_la_structure_candidate(code, libelle, evenement, **options):
    return declarer(
        Courriel(
            code=code,
            libelle=libelle,
            declencheur=Evenement(evenement),
            categorie=Categorie.CANDIDATURE,
            destinataires=MEMBRES_DE_LA_STRUCTURE,
            gabarit=code,
            essentiel=True,
            **options,
        )
    )


CANDIDATURE_DEPOSEE = _a_la_structure_candidate(
    "candidature_deposee",
    _("Candidature déposée (accusé de réception)"),
    "candidature déposée ou redéposée",
    texte_du_programme=TexteDuProgramme(
        champs=CHAMPS_CANDIDATURE + CHAMPS_DEPOT + (CHAMP_LIEN,),
        sujet=_("[Relais] Candidature déposée{% if redepot %} à nouveau{% endif %} : {{ appel }}"),
        corps=_(
            "Bonjour,\n\n"
            "{% if redepot %}La candidature complétée de {{ structure }} à l'appel « {{ appel }} » "
            "a bien été déposée à nouveau le {{ date_depot }} par {{ par_qui }}."
            "{% else %}La candidature de {{ structure }} à l'appel « {{ appel }} » a bien été "
            "déposée le {{ date_depot }} par {{ par_qui }}.{% endif %}\n\n"
            "Référence : {{ reference }}\n"
            "Le récépissé (réponses et pièces jointes) est joint à ce message, au format PDF.\n\n"
            "L'équipe du programme vérifie maintenant que le dossier est complet et recevable. "
            "Vous suivez son avancement ici :\n{{ lien }}\n\n"
            "L'équipe {{ programme }}\n"
        ),
        exemple=exemple_de_depot,
    ),
)
CANDIDATURE_A_COMPLETER = _a_la_structure_candidate(
    "candidature_a_completer",
    _("Candidature à compléter"),
    "complément demandé",
    texte_du_programme=TexteDuProgramme(
        champs=CHAMPS_CANDIDATURE + (CHAMP_DEMANDE_COMPLEMENT, CHAMP_LIEN),
        sujet=_("[Relais] Votre candidature est à compléter : {{ appel }}"),
        corps=_(
            "Bonjour,\n\n"
            "L'équipe du programme a relu la candidature de {{ structure }} à l'appel "
            "« {{ appel }} » et vous demande de la compléter :\n\n"
            "{{ demande_complement }}\n\n"
            "Modifiez vos réponses ou vos pièces jointes, puis déposez la candidature à "
            "nouveau :\n{{ lien }}\n\n"
            "L'équipe {{ programme }}\n"
        ),
        exemple=exemple_dans_l_etat(EtatCandidature.A_COMPLETER),
    ),
)
CANDIDATURE_IRRECEVABLE = _a_la_structure_candidate(
    "candidature_irrecevable",
    _("Candidature non recevable"),
    "candidature déclarée irrecevable",
    texte_du_programme=TexteDuProgramme(
        champs=CHAMPS_CANDIDATURE + (CHAMP_MOTIF_IRRECEVABILITE, CHAMP_LIEN),
        sujet=_("[Relais] Votre candidature n'est pas recevable : {{ appel }}"),
        corps=_(
            "Bonjour,\n\n"
            "L'équipe du programme a examiné la candidature de {{ structure }} à l'appel "
            "« {{ appel }} ». Elle ne peut pas être retenue pour la suite de la sélection, pour "
            "la raison suivante :\n\n"
            "{{ motif }}\n\n"
            "Pour toute question, répondez à l'équipe du programme depuis votre espace :\n"
            "{{ lien }}\n\n"
            "L'équipe {{ programme }}\n"
        ),
        exemple=exemple_dans_l_etat(EtatCandidature.IRRECEVABLE),
    ),
)
CANDIDATURE_RECEVABLE = _a_la_structure_candidate(
    "candidature_recevable",
    _("Candidature recevable"),
    "candidature déclarée recevable",
    texte_du_programme=TexteDuProgramme(
        champs=CHAMPS_CANDIDATURE + (CHAMP_LIEN,),
        sujet=_("[Relais] Votre candidature est recevable : {{ appel }}"),
        corps=_(
            "Bonjour,\n\n"
            "La candidature de {{ structure }} à l'appel « {{ appel }} » est complète et "
            "recevable. Elle sera examinée par le jury de sélection ; vous serez informés de sa "
            "décision.\n\n"
            "Suivre la candidature :\n{{ lien }}\n\n"
            "L'équipe {{ programme }}\n"
        ),
        exemple=exemple_de_candidature,
    ),
)
APPEL_ROUVERT = _a_la_structure_candidate(
    "appel_rouvert",
    _("Appel rouvert (aux structures qui ont un brouillon)"),
    "appel rouvert : aux structures qui y ont un brouillon",
    texte_du_programme=TexteDuProgramme(
        champs=CHAMPS_CANDIDATURE + (CHAMP_DATE_LIMITE, CHAMP_LIEN),
        sujet=_("[Relais] L'appel est de nouveau ouvert : {{ appel }}"),
        corps=_(
            "Bonjour,\n\n"
            "L'appel « {{ appel }} » est de nouveau ouvert : les candidatures peuvent être "
            "déposées jusqu'au {{ date_limite }}.\n\n"
            "La candidature de {{ structure }} est encore en brouillon. Complétez-la, puis "
            "déposez-la avant cette date :\n{{ lien }}\n\n"
            "L'équipe {{ programme }}\n"
        ),
        exemple=exemple_dans_l_etat(EtatCandidature.BROUILLON),
    ),
)
INVITATION_STRUCTURE = declarer(
    Courriel(
        code="invitation_structure",
        libelle=_("Invitation à rejoindre une structure"),
        declencheur=Evenement("un membre invite un collègue dans sa structure"),
        categorie=Categorie.INVITATION,
        destinataires="l'adresse invitée (pas encore de compte)",
        gabarit="invitation_structure",
        essentiel=True,
        aux_comptes=False,
    )
)


def _lien_candidature(candidature):
    return settings.SITE_URL + reverse("candidatures:candidature", args=[candidature.pk])


def _par_qui(utilisateur):
    if utilisateur is None:
        return "Relais"
    return utilisateur.get_full_name() or utilisateur.email


def _a_la_structure(candidature, entree, *, contexte=None, pieces_a_produire=()):
    for membre in candidature.structure.membres_actifs():
        preparer_courriel(
            entree,
            destinataire=membre.email,
            utilisateur=membre,
            objet=candidature,
            contexte={
                "candidature": candidature,
                "lien": _lien_candidature(candidature),
                **(contexte or {}),
            },
            pieces_a_produire=pieces_a_produire,
        )


def candidature_deposee(candidature, *, par, redepot=False):
    """La confirmation de dépôt, avec le récépissé PDF en pièce jointe. Le PDF est calculé par
    le worker à l'envoi (`recepisse.piece_jointe`), pas dans la requête du dépôt : le jour de
    la date limite, c'était 85 % du temps de chaque dépôt, ligne verrouillée."""
    _a_la_structure(
        candidature,
        CANDIDATURE_DEPOSEE,
        contexte={"redepot": redepot, "par_qui": _par_qui(par)},
        pieces_a_produire=[recepisse.piece_jointe],
    )


def complement_demande(candidature):
    _a_la_structure(candidature, CANDIDATURE_A_COMPLETER)


def candidature_irrecevable(candidature):
    _a_la_structure(candidature, CANDIDATURE_IRRECEVABLE)


def candidature_recevable(candidature):
    _a_la_structure(candidature, CANDIDATURE_RECEVABLE)


def appel_rouvert(appel, *, reouverture):
    """Chaque structure qui a un brouillon sur l'appel rouvert apprend qu'elle peut de nouveau
    déposer, et jusqu'à quand. `reouverture` : la ligne du journal de la transition ; la clé
    (appel, réouverture, candidature, destinataire) fait qu'un second passage pour la même
    réouverture ne crée rien, alors qu'une réouverture ultérieure prévient de nouveau.
    Renvoie le nombre de structures prévenues (celles qui ont au moins un compte actif)."""
    brouillons = (
        appel.candidatures.filter(etat=EtatCandidature.BROUILLON)
        .select_related("structure")
        .order_by("pk")
    )
    prevenues = 0
    for candidature in brouillons:
        membres = candidature.structure.membres_actifs()
        for membre in membres:
            preparer_courriel(
                APPEL_ROUVERT,
                destinataire=membre.email,
                utilisateur=membre,
                objet=candidature,
                cle=f"appel_rouvert:{appel.pk}:{reouverture.pk}:{candidature.pk}:{membre.pk}",
                contexte={
                    "appel": appel,
                    "candidature": candidature,
                    "lien": _lien_candidature(candidature),
                },
            )
        prevenues += bool(membres)
    return prevenues


def invitation_dans_structure(invitation, jeton):
    preparer_courriel(
        INVITATION_STRUCTURE,
        destinataire=invitation.email,
        objet=invitation,
        contexte={
            "invitation": invitation,
            "par_qui": _par_qui(invitation.invitee_par),
            "lien": settings.SITE_URL + reverse("candidatures:invitation_structure", args=[jeton]),
        },
    )
