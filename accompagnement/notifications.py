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


def convocation(inscription):
    """La convocation d'un référent, avec la session en pièce jointe ICS ; une seule par
    inscription."""
    session = inscription.session
    # Le référent n'a pas de compte : son courriel part dans la langue par défaut, et le
    # fichier joint aussi, pas dans la langue de la personne qui l'inscrit.
    with translation.override(settings.LANGUAGE_CODE):
        ics = calendrier.ics_convocation(inscription)
    preparer_message(
        type_message="accompagnement_convocation",
        destinataire=inscription.referent.email,
        gabarit="accompagnement_convocation",
        objet=session,
        cle=f"convocation:{inscription.pk}",
        contexte={"inscription": inscription, "session": session, "referent": inscription.referent},
        pieces_jointes=[
            (
                f"formation-{session.date:%Y-%m-%d}.ics",
                ics,
                "text/calendar",
            )
        ],
    )


def desinscription(inscription):
    """Le courriel qui prévient un référent de sa désinscription, avec le fichier ICS qui
    annule l'événement de sa convocation ; un seul par inscription. Préparé avant que
    l'inscription soit supprimée : sa clé et l'UID de l'événement en dépendent."""
    session = inscription.session
    # Même destinataire et même langue que la convocation (le référent n'a pas de compte).
    with translation.override(settings.LANGUAGE_CODE):
        ics = calendrier.ics_annulation(inscription)
    preparer_message(
        type_message="accompagnement_desinscription",
        destinataire=inscription.referent.email,
        gabarit="accompagnement_desinscription",
        objet=session,
        cle=f"desinscription:{inscription.pk}",
        contexte={"inscription": inscription, "session": session, "referent": inscription.referent},
        pieces_jointes=[
            (
                f"formation-{session.date:%Y-%m-%d}-annulation.ics",
                ics,
                "text/calendar; method=CANCEL",
            )
        ],
    )
