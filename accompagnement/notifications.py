"""Les courriels de l'accompagnement, rendus depuis `templates/emails/<gabarit>/`, gardés
dans la boîte d'envoi et envoyés au commit."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accompagnement import calendrier
from messagerie.services import preparer_message


def coach_affecte(plan):
    preparer_message(
        type_message="accompagnement_coach_affecte",
        destinataire=plan.coach.email,
        utilisateur=plan.coach,
        gabarit="accompagnement_coach_affecte",
        objet=plan,
        contexte={
            "plan": plan,
            "lien": settings.SITE_URL + reverse("accompagnement:plan", args=[plan.pk]),
        },
    )


def _au_referent(inscription, *, type_message, cle, ics, nom_du_fichier, type_mime):
    """Un courriel à un référent sur son inscription, avec un fichier ICS. Le référent n'a pas
    de compte : son courriel part dans la langue par défaut, et le fichier joint aussi (rendu
    par l'appelant sous `translation.override`), pas dans la langue de la personne qui agit."""
    session = inscription.session
    preparer_message(
        type_message=type_message,
        destinataire=inscription.referent.email,
        gabarit=type_message,
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
        type_message="accompagnement_convocation",
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
        type_message="accompagnement_desinscription",
        cle=f"desinscription:{inscription.pk}",
        ics=ics,
        nom_du_fichier=f"formation-{inscription.session.date:%Y-%m-%d}-annulation.ics",
        type_mime="text/calendar; method=CANCEL",
    )
