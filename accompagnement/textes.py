"""Les champs que l'accompagnement offre aux modèles d'un programme (convocation, rappels,
attestation de présence) et l'attestation déclarée aux documents qu'un programme réécrit.

Chaque valeur est mise en forme ici, en texte : un modèle ne reçoit jamais d'objet."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from accompagnement.models import ComiteCloture, Emargement, Inscription, Jalon, PlanAccompagnement
from messagerie.catalogue import Champ
from messagerie.documents import Document, declarer_document


def _formateur(session):
    formateur = session.formateur
    return formateur.get_full_name() or formateur.email


CHAMPS_SESSION = (
    Champ("formation", _("Titre de la formation"), lambda c: c["session"].formation.titre),
    Champ(
        "date",
        _("Date de la session (« lundi 12 mai 2025 »)"),
        lambda c: date_format(c["session"].date, "l j F Y"),
    ),
    Champ(
        "heure_debut",
        _("Heure de début (« 09:00 »)"),
        lambda c: time_format(c["session"].heure_debut, "H:i"),
    ),
    Champ(
        "heure_fin",
        _("Heure de fin (« 17:00 »)"),
        lambda c: time_format(c["session"].heure_fin, "H:i"),
    ),
    Champ("lieu", _("Lieu de la session"), lambda c: c["session"].lieu),
    Champ(
        "formateur", _("Nom du formateur ou de la formatrice"), lambda c: _formateur(c["session"])
    ),
    Champ("programme", _("Nom du programme"), lambda c: c["session"].formation.programme.nom),
)

CHAMPS_REFERENT = (
    Champ("prenom", _("Prénom du référent"), lambda c: c["referent"].prenom),
    Champ("nom", _("Nom du référent"), lambda c: c["referent"].nom),
    Champ("fonction", _("Fonction du référent (peut être vide)"), lambda c: c["referent"].fonction),
    Champ("structure", _("Structure du référent"), lambda c: c["referent"].structure.nom),
)

CHAMP_JOURS_RESTANTS = Champ(
    "jours_restants",
    _("Nombre de jours avant la session (un nombre : 7, 1)"),
    lambda c: c["jours_restants"],
)

CHAMPS_CONVOCATION = CHAMPS_REFERENT + CHAMPS_SESSION


CHAMPS_JALON = (
    Champ("etape", _("Intitulé de l'étape"), lambda c: c["jalon"].libelle),
    Champ(
        "echeance",
        _("Échéance de l'étape (« lundi 12 mai 2025 »)"),
        lambda c: date_format(c["jalon"].echeance, "l j F Y"),
    ),
    Champ("structure", _("Structure accompagnée"), lambda c: c["structure"].nom),
    Champ("programme", _("Nom du programme"), lambda c: c["plan"].programme.nom),
    Champ(
        "lien",
        _("Adresse de la page de l'étape"),
        lambda c: c["site_url"] + reverse("accompagnement:jalon", args=[c["jalon"].pk]),
    ),
    Champ(
        "jours_restants",
        _("Nombre de jours avant l'échéance (un nombre)"),
        lambda c: c["jours_restants"],
    ),
    Champ(
        "jours_de_retard",
        _("Nombre de jours de retard (un nombre)"),
        lambda c: c["jours_de_retard"],
    ),
)


def exemple_de_jalon(id_programme):
    """Le contexte de la dernière étape du programme qui a une échéance, pour l'aperçu."""
    jalon = (
        Jalon.objects.filter(plan__programme_id=id_programme, echeance__isnull=False)
        .select_related("plan__structure", "plan__programme")
        .order_by("-echeance", "-pk")
        .first()
    )
    if jalon is None:
        return None
    ecart = (jalon.echeance - timezone.localdate()).days
    return {
        "jalon": jalon,
        "plan": jalon.plan,
        "structure": jalon.plan.structure,
        "jours_restants": ecart,
        "jours_de_retard": -ecart,
        "site_url": settings.SITE_URL,
    }


def exemple_d_inscription(id_programme):
    """Le contexte de la dernière inscription du programme, pour l'aperçu ; None sans
    inscription."""
    inscription = (
        Inscription.objects.filter(session__formation__programme_id=id_programme)
        .select_related(
            "referent__structure", "session__formation__programme", "session__formateur"
        )
        .order_by("-session__date", "-pk")
        .first()
    )
    if inscription is None:
        return None
    session = inscription.session
    return {
        "inscription": inscription,
        "session": session,
        "referent": inscription.referent,
        "jours_restants": max((session.date - timezone.localdate()).days, 1),
    }


def exemple_d_emargement(id_programme):
    """Le contexte de la dernière présence relevée du programme, pour l'aperçu."""
    emargement = (
        Emargement.objects.filter(session__formation__programme_id=id_programme, present=True)
        .select_related(
            "referent__structure", "session__formation__programme", "session__formateur"
        )
        .order_by("-session__date", "-pk")
        .first()
    )
    if emargement is None:
        return None
    return {"session": emargement.session, "referent": emargement.referent}


CHAMPS_PLAN = (
    Champ("structure", _("Structure accompagnée"), lambda c: c["plan"].structure.nom),
    Champ("programme", _("Nom du programme"), lambda c: c["plan"].programme.nom),
    Champ(
        "date_debut",
        _("Date de démarrage du plan (« 12 mai 2025 »)"),
        lambda c: date_format(c["plan"].date_debut, "j F Y"),
    ),
    Champ("lien", _("Adresse de la page du plan d'accompagnement"), lambda c: c["lien"]),
)


def exemple_de_plan(id_programme):
    """Le contexte du dernier plan du programme, pour l'aperçu ; None sans plan."""
    plan = (
        PlanAccompagnement.objects.filter(programme_id=id_programme)
        .select_related("structure", "programme")
        .order_by("-pk")
        .first()
    )
    if plan is None:
        return None
    return {
        "plan": plan,
        "lien": settings.SITE_URL + reverse("accompagnement:plan", args=[plan.pk]),
    }


CHAMPS_COMITE = (
    Champ("programme", _("Nom du programme"), lambda c: c["comite"].programme.nom),
    Champ(
        "date",
        _("Date du comité (« lundi 12 mai 2025 »)"),
        lambda c: date_format(c["comite"].date, "l j F Y"),
    ),
    Champ(
        "heure", _("Heure du comité (« 14:00 »)"), lambda c: time_format(c["comite"].heure, "H:i")
    ),
    Champ("lieu", _("Lieu du comité"), lambda c: c["comite"].lieu),
    Champ(
        "structures",
        _("Structures examinées, séparées par des virgules"),
        lambda c: ", ".join(c["structures"]),
    ),
    Champ(
        "ordre_du_jour",
        _("Ordre du jour du comité (peut être vide)"),
        lambda c: c["comite"].ordre_du_jour,
    ),
)


def exemple_de_comite(id_programme):
    """Le contexte du dernier comité de clôture du programme, pour l'aperçu."""
    comite = (
        ComiteCloture.objects.filter(programme_id=id_programme)
        .select_related("programme")
        .order_by("-date", "-pk")
        .first()
    )
    if comite is None:
        return None
    structures = Jalon.objects.filter(comites=comite).values_list("plan__structure__nom", flat=True)
    return {"comite": comite, "structures": sorted(set(structures))}


ATTESTATION = declarer_document(
    Document(
        code="attestation_presence",
        libelle=_("Attestation de présence à une formation"),
        champs=CHAMPS_CONVOCATION,
        texte=_(
            "Le programme « {{ programme }} » atteste que {{ prenom }} {{ nom }}"
            "{% if fonction %}, {{ fonction }},{% endif %} de la structure {{ structure }}, "
            "a suivi la formation « {{ formation }} » le {{ date }}, de {{ heure_debut }} à "
            "{{ heure_fin }}.\n\nLieu : {{ lieu }}."
        ),
        exemple=exemple_d_emargement,
    )
)
