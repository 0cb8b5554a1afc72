"""Les champs que les candidatures offrent aux modèles d'un programme : ceux de toute
candidature (repris par le jury), ceux des courriels de dépôt, de complément, de recevabilité
et de réouverture, et ceux des relances de l'appel.

Chaque valeur est mise en forme ici, en texte : un modèle ne reçoit jamais d'objet."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from messagerie.catalogue import Champ
from programmes.enums import EtatAppel
from programmes.models import Appel


def date_et_heure(moment, format_="DATETIME_FORMAT"):
    """Un moment en texte, à l'heure locale (comme le filtre `date` des gabarits) ; "" sans
    moment."""
    if moment is None:
        return ""
    return date_format(timezone.localtime(moment), format_)


CHAMPS_CANDIDATURE = (
    Champ(
        "structure", _("Nom de la structure candidate"), lambda c: c["candidature"].structure.nom
    ),
    Champ("reference", _("Référence de la candidature"), lambda c: c["candidature"].reference),
    Champ("appel", _("Titre de l'appel"), lambda c: c["candidature"].appel.titre),
    Champ("programme", _("Nom du programme"), lambda c: c["candidature"].appel.programme.nom),
)

CHAMP_LIEN = Champ("lien", _("Adresse de la page de la candidature"), lambda c: c["lien"])

CHAMPS_DEPOT = (
    Champ(
        "date_depot",
        _("Date et heure du dépôt"),
        lambda c: date_et_heure(c["candidature"].deposee_le),
    ),
    Champ("par_qui", _("Nom de la personne qui a déposé"), lambda c: c["par_qui"]),
    Champ(
        "redepot",
        _("1 si la candidature est déposée à nouveau après un complément, 0 sinon"),
        lambda c: 1 if c.get("redepot") else 0,
    ),
)

CHAMP_DEMANDE_COMPLEMENT = Champ(
    "demande_complement",
    _("Le message de la demande de complément"),
    lambda c: c["candidature"].demande_complement,
)

CHAMP_MOTIF_IRRECEVABILITE = Champ(
    "motif",
    _("La raison pour laquelle la candidature n'est pas recevable"),
    lambda c: c["candidature"].motif_irrecevabilite,
)

CHAMP_DATE_LIMITE = Champ(
    "date_limite",
    _("Date et heure limites de dépôt"),
    lambda c: date_et_heure(c["candidature"].appel.date_limite),
)

# Les relances : le lien mène à l'espace de la personne, pas à une page de candidature.
CHAMP_ESPACE = Champ(
    "lien",
    _("Adresse de l'espace Relais de la structure"),
    lambda c: c["site_url"] + reverse("tableau_de_bord"),
)

CHAMPS_BROUILLON = CHAMPS_CANDIDATURE + (
    Champ(
        "date_limite",
        _("Date et heure limites de dépôt (« lundi 12 mai 2025 à 12:00 »)"),
        lambda c: date_et_heure(c["candidature"].appel.date_limite, gettext("l j F Y à H:i")),
    ),
    Champ(
        "jours_restants",
        _("Nombre de jours avant la date limite (un nombre : 7, 1)"),
        lambda c: c["jours_restants"],
    ),
    CHAMP_ESPACE,
)

CHAMPS_COMPLEMENT_SANS_REPONSE = CHAMPS_CANDIDATURE + (
    CHAMP_DEMANDE_COMPLEMENT,
    Champ(
        "jours_de_retard",
        _("Nombre de jours depuis la demande de complément (un nombre)"),
        lambda c: c["jours_de_retard"],
    ),
    CHAMP_ESPACE,
)

CHAMPS_APPEL_CLOS = (
    Champ("appel", _("Titre de l'appel"), lambda c: c["appel"].titre),
    Champ("programme", _("Nom du programme"), lambda c: c["appel"].programme.nom),
    Champ(
        "date_cloture",
        _("Date et heure de la clôture de l'appel"),
        lambda c: date_et_heure(c["appel"].clos_le),
    ),
    Champ(
        "a_instruire",
        _("Nombre de candidatures déposées qui attendent la vérification (un nombre)"),
        lambda c: c["a_instruire"],
    ),
    Champ(
        "lien",
        _("Adresse de l'espace de gestion"),
        lambda c: c["site_url"] + reverse("accueil_gestion"),
    ),
)


def _derniere_candidature(id_programme, **filtres):
    return (
        Candidature.objects.filter(appel__programme_id=id_programme, **filtres)
        .select_related("structure", "appel__programme")
        .order_by("-pk")
        .first()
    )


def _lien(candidature):
    return settings.SITE_URL + reverse("candidatures:candidature", args=[candidature.pk])


def exemple_de_depot(id_programme):
    """Le contexte de la dernière candidature déposée du programme, pour l'aperçu."""
    candidature = _derniere_candidature(id_programme, deposee_le__isnull=False)
    if candidature is None:
        return None
    return {
        "candidature": candidature,
        "lien": _lien(candidature),
        "par_qui": "Relais",
        "redepot": False,
        "site_url": settings.SITE_URL,
    }


def _exemple(candidature):
    if candidature is None:
        return None
    appel = candidature.appel
    limite = appel.date_limite
    return {
        "candidature": candidature,
        "appel": appel,
        "lien": _lien(candidature),
        "jours_restants": (timezone.localdate(limite) - timezone.localdate()).days if limite else 7,
        "jours_de_retard": 7,
        "site_url": settings.SITE_URL,
    }


def exemple_de_candidature(id_programme):
    """Le contexte de la dernière candidature du programme, pour l'aperçu."""
    return _exemple(_derniere_candidature(id_programme))


def exemple_dans_l_etat(etat):
    """L'exemple de la dernière candidature du programme dans cet état, sinon de la
    dernière."""

    def exemple(id_programme):
        candidature = _derniere_candidature(id_programme, etat=etat)
        return _exemple(candidature or _derniere_candidature(id_programme))

    return exemple


def exemple_d_appel_clos(id_programme):
    """Le contexte du dernier appel clos du programme, pour l'aperçu."""
    appel = (
        Appel.objects.filter(programme_id=id_programme, clos_le__isnull=False)
        .exclude(etat__in=[EtatAppel.BROUILLON, EtatAppel.OUVERT])
        .select_related("programme")
        .order_by("-clos_le", "-pk")
        .first()
    )
    if appel is None:
        return None
    return {
        "appel": appel,
        "a_instruire": appel.candidatures.filter(etat=EtatCandidature.DEPOSEE).count(),
        "site_url": settings.SITE_URL,
    }
