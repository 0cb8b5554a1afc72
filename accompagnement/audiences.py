"""Les listes de l'accompagnement auxquelles un gestionnaire écrit : les lauréates d'une
cohorte (les structures qui ont un plan pour cet appel, par leurs membres actifs) et les
référents inscrits à une session de formation (à leur adresse : ils n'ont pas de compte)."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accompagnement.models import PlanAccompagnement, SessionFormation
from messagerie.audiences import Audience, Destinataire, TypeAudience, declarer
from programmes.models import Appel

CHAMPS_COHORTE = {
    "structure": _("le nom de la structure"),
    "commune": _("la commune de la structure"),
    "appel": _("le titre de l'appel"),
    "coach": _("le nom du coach de la structure"),
    "prenom": _("le prénom du destinataire"),
    "nom": _("le nom du destinataire"),
}

CHAMPS_SESSION = {
    "prenom": _("le prénom du référent"),
    "nom": _("le nom du référent"),
    "structure": _("le nom de sa structure"),
    "formation": _("le titre de la formation"),
    "date": _("la date de la session"),
    "horaires": _("les horaires de la session"),
    "lieu": _("le lieu de la session"),
}


def _appel(pk):
    return Appel.objects.select_related("programme").filter(pk=pk).first()


def _cohorte(appel, parametres):
    plans = list(
        PlanAccompagnement.objects.filter(candidature__appel=appel)
        .select_related("structure__commune", "coach")
        .prefetch_related("structure__membres")
        .order_by("structure__nom")
    )
    destinataires = [
        Destinataire(
            email=membre.email,
            utilisateur=membre,
            valeurs={
                "structure": plan.structure.nom,
                "commune": plan.structure.commune.nom if plan.structure.commune else "",
                "appel": appel.titre,
                "coach": (plan.coach.get_full_name() or plan.coach.email) if plan.coach else "",
                "prenom": membre.first_name,
                "nom": membre.last_name,
            },
        )
        for plan in plans
        for membre in plan.structure.membres_actifs()
    ]
    return Audience(
        programme=appel.programme,
        description=ngettext(
            "%(n)d lauréate de la cohorte de l'appel %(appel)s",
            "%(n)d lauréates de la cohorte de l'appel %(appel)s",
            len(plans),
        )
        % {"n": len(plans), "appel": appel.titre},
        destinataires=destinataires,
        champs={nom: str(texte) for nom, texte in CHAMPS_COHORTE.items()},
        adresse_de_la_liste=reverse("accompagnement:gestion_cohorte", args=[appel.pk]),
    )


def _session(pk):
    return SessionFormation.objects.select_related("formation__programme").filter(pk=pk).first()


def _referents(session, parametres):
    inscriptions = list(
        session.inscriptions.select_related("referent__structure").order_by(
            "referent__structure__nom", "referent__nom", "referent__prenom"
        )
    )
    jour = date_format(session.date, "l j F Y")
    destinataires = [
        Destinataire(
            email=inscription.referent.email,
            valeurs={
                "prenom": inscription.referent.prenom,
                "nom": inscription.referent.nom,
                "structure": inscription.referent.structure.nom,
                "formation": session.formation.titre,
                "date": jour,
                "horaires": f"{session.heure_debut:%H:%M}–{session.heure_fin:%H:%M}",
                "lieu": session.lieu,
            },
        )
        for inscription in inscriptions
    ]
    return Audience(
        programme=session.formation.programme,
        description=ngettext(
            "%(n)d référent inscrit à la session « %(formation)s » du %(date)s",
            "%(n)d référents inscrits à la session « %(formation)s » du %(date)s",
            len(inscriptions),
        )
        % {"n": len(inscriptions), "formation": session.formation.titre, "date": jour},
        destinataires=destinataires,
        champs={nom: str(texte) for nom, texte in CHAMPS_SESSION.items()},
        adresse_de_la_liste=reverse("accompagnement:emargement", args=[session.pk]),
    )


LAUREATES_DE_LA_COHORTE = declarer(
    TypeAudience(
        code="cohorte",
        libelle=_("Lauréates d'une cohorte"),
        objet=_appel,
        audience=_cohorte,
    )
)

REFERENTS_D_UNE_SESSION = declarer(
    TypeAudience(
        code="session",
        libelle=_("Référents inscrits à une session de formation"),
        objet=_session,
        audience=_referents,
    )
)
