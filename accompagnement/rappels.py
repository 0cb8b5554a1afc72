"""Rappels J-7 et J-1 d'une convocation, écrits au référent convoqué lui-même.

Les référents n'ont pas de compte : le moteur de relances, qui écrit aux comptes, prévient les
membres de leur structure (`convocation_formation`) ; ce rappel-ci va à l'adresse de la
personne inscrite, comme la convocation. Exactement une fois par inscription et par rappel : la
clé du message dans la boîte d'envoi. Un rappel manqué (balayage en panne) part au passage
suivant tant que la session n'a pas eu lieu ; un rappel n'est pas dû pour une inscription faite
après son jour (la convocation vient de partir).
"""

import datetime

from django.utils import timezone

from accompagnement import calendrier
from accompagnement.models import Inscription
from messagerie.models import Message
from messagerie.services import preparer_message

RAPPELS_JOURS = (7, 1)


def _cle(inscription, rappel):
    return f"convocation:{inscription.pk}:J-{rappel}"


def rappels_dus(maintenant=None):
    """[(inscription, rappel, jours restants)] : les rappels dus et pas encore envoyés."""
    aujourd_hui = timezone.localdate(maintenant or timezone.now())
    inscriptions = (
        Inscription.objects.filter(
            session__date__gt=aujourd_hui,
            session__date__lte=aujourd_hui + datetime.timedelta(days=max(RAPPELS_JOURS)),
        )
        .select_related("referent", "session__formation__programme", "session__formation")
        .select_related("session__formateur")
        .order_by("session__date", "pk")
    )
    dus = []
    for inscription in inscriptions:
        jours = (inscription.session.date - aujourd_hui).days
        # Le rappel le plus proche dont le jour est passé : J-1 la veille, sinon J-7.
        rappel = min(r for r in RAPPELS_JOURS if r >= jours)
        jour_du_rappel = inscription.session.date - datetime.timedelta(days=rappel)
        if timezone.localdate(inscription.inscrit_le) > jour_du_rappel:
            continue
        dus.append((inscription, rappel, jours))
    deja = set(
        Message.objects.filter(cle__in=[_cle(i, r) for i, r, _ in dus]).values_list(
            "cle", flat=True
        )
    )
    return [(i, r, j) for i, r, j in dus if _cle(i, r) not in deja]


def rappeler_convocations(maintenant=None):
    """Met dans la boîte d'envoi les rappels dus ; renvoie leur nombre."""
    dus = rappels_dus(maintenant)
    for inscription, rappel, jours in dus:
        session = inscription.session
        preparer_message(
            type_message=f"accompagnement_rappel_convocation_j{rappel}",
            destinataire=inscription.referent.email,
            gabarit="accompagnement_rappel_convocation",
            objet=inscription,
            cle=_cle(inscription, rappel),
            contexte={
                "inscription": inscription,
                "session": session,
                "referent": inscription.referent,
                "jours": jours,
            },
            pieces_jointes=[
                (
                    f"formation-{session.date:%Y-%m-%d}.ics",
                    calendrier.ics_convocation(inscription),
                    "text/calendar",
                )
            ],
        )
    return len(dus)
