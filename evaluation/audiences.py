"""Les membres du jury d'un appel, liste à laquelle un gestionnaire écrit : par leur compte
s'ils en ont un (leurs préférences s'appliquent), sinon à l'adresse où ils ont été invités."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from evaluation.models import MembreJury
from messagerie.audiences import Audience, Destinataire, TypeAudience, declarer
from programmes.models import Appel

CHAMPS = {
    "prenom": _("le prénom du membre (vide s'il n'a pas encore de compte)"),
    "nom": _("le nom du membre (vide s'il n'a pas encore de compte)"),
    "appel": _("le titre de l'appel"),
}


def _appel(pk):
    return Appel.objects.select_related("programme").filter(pk=pk).first()


def _destinataire(membre, appel):
    compte = membre.utilisateur if membre.utilisateur and membre.utilisateur.is_active else None
    return Destinataire(
        email=compte.email if compte else membre.email,
        utilisateur=compte,
        valeurs={
            "prenom": compte.first_name if compte else "",
            "nom": compte.last_name if compte else "",
            "appel": appel.titre,
        },
    )


def _membres(appel, parametres):
    membres = list(
        MembreJury.objects.filter(jury__appel=appel).select_related("utilisateur").order_by("email")
    )
    return Audience(
        programme=appel.programme,
        description=ngettext(
            "%(n)d membre du jury de l'appel %(appel)s",
            "%(n)d membres du jury de l'appel %(appel)s",
            len(membres),
        )
        % {"n": len(membres), "appel": appel.titre},
        destinataires=[_destinataire(membre, appel) for membre in membres],
        champs={nom: str(texte) for nom, texte in CHAMPS.items()},
        adresse_de_la_liste=reverse("evaluation:gestion_jury", args=[appel.pk]),
    )


MEMBRES_DU_JURY = declarer(
    TypeAudience(
        code="jury",
        libelle=_("Membres du jury d'un appel"),
        objet=_appel,
        audience=_membres,
    )
)
