"""Les courriels de l'accompagnement, déclarés au catalogue (`messagerie.catalogue`), rendus
depuis `templates/emails/<gabarit>/`, gardés dans la boîte d'envoi et envoyés au commit. Les
rappels J-7 et J-1 de la convocation sont des courriels datés (`accompagnement.relances`)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accompagnement import calendrier
from accompagnement.textes import (
    CHAMPS_CONVOCATION,
    CHAMPS_PLAN,
    exemple_d_inscription,
    exemple_de_plan,
)
from messagerie.catalogue import Categorie, Courriel, Evenement, TexteDuProgramme, declarer
from messagerie.services import preparer_courriel

# Le coach retrouve les plans qui lui sont confiés sur son tableau de bord : ce courriel le
# prévient, il peut le refuser.
COACH_AFFECTE = declarer(
    Courriel(
        code="accompagnement_coach_affecte",
        libelle=_("Coach affecté à une structure"),
        declencheur=Evenement("coach affecté à un plan d'accompagnement"),
        categorie=Categorie.ACCOMPAGNEMENT,
        destinataires="le coach du plan",
        gabarit="accompagnement_coach_affecte",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_PLAN,
            sujet=_("[Relais] Vous accompagnez {{ structure }}"),
            corps=_(
                "Bonjour,\n\n"
                "Le plan d'accompagnement de {{ structure }} vous est confié (démarrage le "
                "{{ date_debut }}).\n\n"
                "Ses étapes et leurs échéances : {{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_plan,
            destinataires=_("le coach du plan"),
        ),
    )
)
CONVOCATION = declarer(
    Courriel(
        code="accompagnement_convocation",
        libelle=_("Convocation à une formation"),
        declencheur=Evenement("référent inscrit à une session"),
        categorie=Categorie.ACCOMPAGNEMENT,
        destinataires="le référent inscrit, à son adresse (il n'a pas de compte)",
        gabarit="accompagnement_convocation",
        essentiel=True,
        aux_comptes=False,
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_CONVOCATION,
            sujet=_("[Relais] Convocation : {{ formation }}, le {{ date }}"),
            corps=_(
                "Bonjour {{ prenom }} {{ nom }},\n\n"
                "Vous êtes inscrit·e à la formation « {{ formation }} ».\n\n"
                "Date : {{ date }}, de {{ heure_debut }} à {{ heure_fin }}\n"
                "Lieu : {{ lieu }}\n"
                "Formateur ou formatrice : {{ formateur }}\n\n"
                "Le fichier joint ajoute la session à votre agenda. Pensez à signer la feuille "
                "d'émargement le jour même : elle donne droit à votre attestation de présence.\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_d_inscription,
        ),
    )
)
DESINSCRIPTION = declarer(
    Courriel(
        code="accompagnement_desinscription",
        libelle=_("Désinscription d'une formation"),
        declencheur=Evenement("référent désinscrit d'une session"),
        categorie=Categorie.ACCOMPAGNEMENT,
        destinataires="le référent désinscrit, à son adresse (il n'a pas de compte)",
        gabarit="accompagnement_desinscription",
        essentiel=True,
        aux_comptes=False,
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_CONVOCATION,
            sujet=_("[Relais] Désinscription : {{ formation }}, le {{ date }}"),
            corps=_(
                "Bonjour {{ prenom }} {{ nom }},\n\n"
                "Votre inscription à la formation « {{ formation }} » est annulée : vous n'êtes "
                "plus attendu·e à cette session.\n\n"
                "Date : {{ date }}, de {{ heure_debut }} à {{ heure_fin }}\n"
                "Lieu : {{ lieu }}\n\n"
                "Le fichier joint retire la session de votre agenda. Si vous pensez qu'il s'agit "
                "d'une erreur, adressez-vous à votre structure : elle peut vous inscrire de "
                "nouveau tant que la session a des places.\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_d_inscription,
        ),
    )
)


def coach_affecte(plan):
    preparer_courriel(
        COACH_AFFECTE,
        destinataire=plan.coach.email,
        utilisateur=plan.coach,
        objet=plan,
        contexte={
            "plan": plan,
            "lien": settings.SITE_URL + reverse("accompagnement:plan", args=[plan.pk]),
        },
    )


def _au_referent(inscription, entree, *, cle, ics, nom_du_fichier, type_mime):
    """Un courriel à un référent sur son inscription, avec un fichier ICS. Le référent n'a pas
    de compte : son courriel part dans la langue par défaut, et le fichier joint aussi (rendu
    par l'appelant sous `translation.override`), pas dans la langue de la personne qui agit."""
    session = inscription.session
    preparer_courriel(
        entree,
        destinataire=inscription.referent.email,
        objet=session,
        cle=cle,
        contexte={"inscription": inscription, "session": session, "referent": inscription.referent},
        pieces_jointes=[(nom_du_fichier, ics, type_mime)],
    )


def convocation(inscription):
    """La convocation d'un référent, avec la session en pièce jointe ICS ; une seule par
    inscription."""
    with translation.override(settings.LANGUAGE_CODE):
        ics = calendrier.ics_convocation(inscription)
    _au_referent(
        inscription,
        CONVOCATION,
        cle=f"convocation:{inscription.pk}",
        ics=ics,
        nom_du_fichier=f"formation-{inscription.session.date:%Y-%m-%d}.ics",
        type_mime="text/calendar",
    )


def desinscription(inscription):
    """Le courriel qui prévient un référent de sa désinscription, avec le fichier ICS qui
    annule l'événement de sa convocation ; un seul par inscription. Préparé avant que
    l'inscription soit supprimée : sa clé et l'UID de l'événement en dépendent."""
    with translation.override(settings.LANGUAGE_CODE):
        ics = calendrier.ics_annulation(inscription)
    _au_referent(
        inscription,
        DESINSCRIPTION,
        cle=f"desinscription:{inscription.pk}",
        ics=ics,
        nom_du_fichier=f"formation-{inscription.session.date:%Y-%m-%d}-annulation.ics",
        type_mime="text/calendar; method=CANCEL",
    )
