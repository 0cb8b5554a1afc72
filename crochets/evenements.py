"""Le catalogue des événements qu'un webhook peut suivre, et la charge utile envoyée.

La charge utile est petite et sans donnée personnelle : le code de l'événement, son
identifiant, sa date, le programme et l'objet concerné (type, identifiant, état et adresse de
l'API où le lire, avec les droits du partenaire). Le récepteur y lit ce qui a changé puis
interroge l'API s'il lui faut le détail.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CodeEvenement(models.TextChoices):
    """Les événements qu'un gestionnaire peut choisir pour un webhook (et le test)."""

    CANDIDATURE_DEPOSEE = "candidature.deposee", _("Candidature déposée")
    APPEL_PUBLIE = "appel.publie", _("Appel publié")
    APPEL_CLOS = "appel.clos", _("Appel clos")
    RESULTATS_PUBLIES = "resultats.publies", _("Résultats d'un appel publiés")
    PLAN_CLOS = "plan.clos", _("Plan d'accompagnement clos")
    ACTIVITE_IMPORTEE = "activite.importee", _("Activité d'une structure importée")
    PING = "ping", _("Test (ping)")


# Ceux que l'on coche sur un webhook ; « ping » part seulement par « Envoyer un test ».
EVENEMENTS_ABONNABLES = [code for code in CodeEvenement if code != CodeEvenement.PING]

# Le type de l'objet dans la charge utile et le chemin de l'API (en construction, /api/v1/) où
# le lire, par modèle (`app_label.model`).
_OBJETS = {
    "candidatures.candidature": ("candidature", "/api/v1/candidatures/{pk}/"),
    "programmes.appel": ("appel", "/api/v1/appels/{pk}/"),
    "accompagnement.planaccompagnement": ("plan", "/api/v1/plans/{pk}/"),
    "structures.structure": ("structure", "/api/v1/structures/{pk}/activite/"),
    "programmes.programme": ("programme", None),
}


def adresse_api(objet):
    """L'adresse absolue (SITE_URL) de l'objet dans l'API, ou None s'il n'y figure pas."""
    _type, chemin = _OBJETS.get(objet._meta.label_lower, (None, None))
    if chemin is None:
        return None
    return settings.SITE_URL.rstrip("/") + chemin.format(pk=objet.pk)


def decrire_objet(objet):
    """L'objet tel que le voit le récepteur : type, identifiant, état, adresse de l'API."""
    type_objet, _chemin = _OBJETS.get(objet._meta.label_lower, (objet._meta.model_name, None))
    return {
        "type": type_objet,
        "id": objet.pk,
        "etat": str(getattr(objet, "etat", "") or ""),
        "url_api": adresse_api(objet),
    }


def charge_utile(code, objet, *, programme_id, identifiant=None, date=None):
    """Le corps JSON d'un événement (un dictionnaire prêt pour `json.dumps`)."""
    return {
        "evenement": str(code),
        "identifiant": str(identifiant or uuid.uuid4()),
        "date": (date or timezone.now()).isoformat(),
        "programme": programme_id,
        "objet": decrire_objet(objet),
    }
