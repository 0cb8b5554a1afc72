"""Créer et révoquer un jeton personnel ; les programmes qu'un jeton peut viser.

Un jeton vise un programme parmi ceux où son titulaire a quelque chose à lire par l'API : ceux
qu'il gère, tous pour un observateur partenaire (qui lit les bilans de chacun), ceux où ses
structures ont candidaté. Le coach et le membre du jury n'ont rien à y lire de plus que le
public, qui se lit sans jeton.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import JetonAPI
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.perimetre import ids_programmes_geres, ids_structures
from noyau.roles import est_candidat, est_gestionnaire, est_observateur
from programmes.models import Programme

DUREE_PAR_DEFAUT = datetime.timedelta(days=90)
DUREE_MAXIMALE = datetime.timedelta(days=366)
JETONS_VALIDES_AU_PLUS = 20


def programmes_possibles(utilisateur):
    """Les programmes qu'un jeton de cette personne peut viser (requête)."""
    if not (utilisateur.is_authenticated and utilisateur.is_active):
        return Programme.objects.none()
    if est_observateur(utilisateur):
        return Programme.objects.order_by("nom")
    ids = set()
    if est_gestionnaire(utilisateur):
        ids |= ids_programmes_geres(utilisateur)
    if est_candidat(utilisateur):
        ids |= set(
            Programme.objects.filter(
                appels__candidatures__structure__in=ids_structures(utilisateur)
            ).values_list("pk", flat=True)
        )
    return Programme.objects.filter(pk__in=ids).order_by("nom")


def creer_jeton(utilisateur, *, nom, programme, expire_le):
    """Crée le jeton et renvoie (jeton, texte en clair) : le texte n'est montré qu'une fois."""
    if not programmes_possibles(utilisateur).filter(pk=programme.pk).exists():
        raise ActionNonPermise(_("Vous ne pouvez pas créer de jeton pour ce programme."))
    maintenant = timezone.now()
    if expire_le <= maintenant:
        raise DonneesRefusees(_("La date d'expiration doit être à venir."))
    if expire_le > maintenant + DUREE_MAXIMALE:
        raise DonneesRefusees(
            _("Un jeton vaut un an au plus : choisissez une date d'expiration plus proche.")
        )
    with transaction.atomic():
        valides = JetonAPI.objects.select_for_update().filter(utilisateur=utilisateur).valides()
        if len(valides) >= JETONS_VALIDES_AU_PLUS:
            raise ActionImpossible(
                _("Vous avez déjà %(nombre)s jetons valides : révoquez-en un d'abord.")
                % {"nombre": JETONS_VALIDES_AU_PLUS}
            )
        jeton, clair = JetonAPI.objects.emettre(
            utilisateur=utilisateur, nom=nom, programme=programme, expire_le=expire_le
        )
        journaliser(
            TypeEvenement.JETON_API_CREE,
            cible=jeton,
            acteur=utilisateur,
            donnees={
                "nom": nom,
                "prefixe": jeton.prefixe,
                "programme": programme.pk,
                "expire_le": expire_le.isoformat(),
            },
        )
    return jeton, clair


def revoquer_jeton(jeton, *, par):
    """Le jeton ne lit plus rien dès maintenant ; seul son titulaire le révoque."""
    if jeton.utilisateur_id != par.pk:
        raise ActionNonPermise(_("Ce jeton n'est pas le vôtre."))
    with transaction.atomic():
        jeton = JetonAPI.objects.select_for_update().get(pk=jeton.pk)
        if jeton.revoque_le is not None:
            raise ActionImpossible(_("Ce jeton est déjà révoqué."))
        jeton.revoque_le = timezone.now()
        jeton.save(update_fields=["revoque_le"])
        journaliser(
            TypeEvenement.JETON_API_REVOQUE,
            cible=jeton,
            acteur=par,
            donnees={"nom": jeton.nom, "prefixe": jeton.prefixe},
        )
    return jeton
